import PeregrineCore

/// Sweeps kept with their runs: one row per combination, so a later session can rank or compare them.
extension TradingStore {
    /// Records a finished sweep as a run of kind `sweep` with every combination, in one transaction.
    @discardableResult
    public func recordSweep(strategy: String, description: String, bars: Int, initialEquity: Money, best: Money?,
                            rows: [SweepRow], started: Timestamp) throws -> Int64 {
        try backend.write { db in
            let runID = try db.insertReturningID(sql: """
                INSERT INTO run (kind, strategy, parameters, started_ns, bars, initial_equity, final_equity)
                VALUES ('sweep', ?, ?, ?, ?, ?, ?) RETURNING id
                """, arguments: [strategy, description, started.nanoseconds, bars, initialEquity.description, best?.description])
            let statement = """
                INSERT INTO sweep_result (run_id, parameters, trade_count, fill_count, final_equity, total_return, sharpe,
                    sortino, max_drawdown, calmar, profit_factor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            // SQLite has no infinity or NaN: an undefined figure is stored as NULL and read back as NaN.
            func real(_ value: Double) -> Double? { value.isFinite ? value : nil }
            for row in rows {
                try db.execute(sql: statement, arguments: [runID, row.parameters, row.trades, row.fills, row.finalEquity.description,
                                                  real(row.totalReturn), real(row.sharpe), real(row.sortino), real(row.maxDrawdown),
                                                  real(row.calmar), real(row.profitFactor)])
            }
            return runID
        }
    }

    /// A stored sweep's rows in parameter order.
    public func sweepRows(runID: Int64) throws -> [SweepRow] {
        try backend.read { db in
            try db.rows(sql: "SELECT * FROM sweep_result WHERE run_id = ? ORDER BY parameters", arguments: [runID]).map { row in
                func real(_ name: String) throws -> Double { try (row[name] as Double?) ?? .nan }
                return try SweepRow(parameters: row["parameters"], trades: row["trade_count"], fills: row["fill_count"],
                                finalEquity: Money(row["final_equity"] as String) ?? .zero, totalReturn: real("total_return"),
                                sharpe: real("sharpe"), sortino: real("sortino"), maxDrawdown: real("max_drawdown"),
                                calmar: real("calmar"), profitFactor: real("profit_factor"))
            }
        }
    }
}
