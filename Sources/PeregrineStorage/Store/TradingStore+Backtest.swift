import PeregrineCore
import PeregrineEngine

/// Keeps a finished backtest in the store: the run, every decision (holds and rejections with their
/// reasons), every order and every fill, in one transaction so a run is either all there or absent.
extension TradingStore {
    @discardableResult
    public func record(_ result: BacktestResult, strategy: String, parameters: String, started: Timestamp) throws -> Int64 {
        let symbols = result.instruments.map(\.symbol)
        return try backend.write { db in
            let runID = try db.insertReturningID(sql: """
                INSERT INTO run (kind, strategy, parameters, started_ns, bars, initial_equity, final_equity)
                VALUES ('backtest', ?, ?, ?, ?, ?, ?) RETURNING id
                """, arguments: [strategy, parameters, started.nanoseconds, result.bars,
                                 result.metrics.initialEquity.description, result.finalEquity.description])
            // Client order ids repeat across backtests, so they are scoped by run.
            func scoped(_ id: String) -> String { "run\(runID)-\(id)" }
            var clientIDs: [OrderID: String] = [:]
            for order in result.orders {
                let id = scoped(order.clientOrderID)
                clientIDs[order.id] = id
                try db.execute(sql: """
                    INSERT INTO order_intent (client_order_id, run_id, symbol, side, quantity, type, body, state,
                        broker_order_id, status, created_ns, updated_ns) VALUES (?, ?, ?, ?, ?, ?, ?, 'acknowledged', ?, ?, ?, ?)
                    """, arguments: [id, runID, symbols[order.instrument.index], order.side.rawValue, StoredQuantity.text(order.quantity),
                                     order.type.rawValue, order.description, String(order.id.value), order.status.rawValue,
                                     order.submittedAt.nanoseconds, order.submittedAt.nanoseconds])
            }
            try Self.insertDecisions(db, runID: runID, result.decisions.map {
                ($0, symbols[$0.instrument.index], $0.orderID.flatMap { clientIDs[$0] }, strategy)
            })
            let fill = """
                INSERT INTO fill (execution_id, client_order_id, time_ns, symbol, side, quantity, price_units, commission)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
            for (index, item) in result.fills.enumerated() {
                try db.execute(sql: fill, arguments: ["run\(runID)-fill\(index + 1)", clientIDs[item.orderID] ?? scoped(item.clientOrderID),
                                             item.timestamp.nanoseconds, symbols[item.instrument.index], item.side.rawValue,
                                             StoredQuantity.text(item.quantity), item.price.units, item.commission.description])
            }
            return runID
        }
    }

    /// Decisions of one run as (time, symbol, outcome, reason, detail), in order.
    public func decisions(runID: Int64) throws
        -> [(time: Timestamp, symbol: String, outcome: String, reason: String, detail: String, strategy: String?)]
    {
        try backend.read { db in
            try db.rows(sql: "SELECT * FROM decision WHERE run_id = ? ORDER BY id", arguments: [runID]).map {
                try (Timestamp(nanoseconds: $0["time_ns"]), $0["symbol"], $0["outcome"], $0["reason"], $0["detail"], $0["strategy"])
            }
        }
    }
}
