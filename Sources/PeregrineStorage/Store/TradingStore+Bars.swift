import PeregrineCore

/// Bar import and range queries. Re-importing the same bars is a no-op; a bar that contradicts one
/// already stored is refused with both versions named, never overwritten.
extension TradingStore {
    /// Stores `bars` for `symbol` in one transaction and returns how many were new.
    @discardableResult
    public func importBars(_ bars: [Bar], symbol: String) throws -> Int {
        try backend.write { db in
            let insert = """
                INSERT INTO bar (symbol, time_ns, open_units, high_units, low_units, close_units, volume)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (symbol, time_ns) DO NOTHING
                """
            var inserted = 0
            for bar in bars {
                let changed = try db.execute(sql: insert, arguments: [symbol, bar.timestamp.nanoseconds, bar.open.units, bar.high.units,
                                                                      bar.low.units, bar.close.units, StoredQuantity.text(bar.volume)])
                if changed == 1 {
                    inserted += 1
                } else if let stored = try Self.bar(db, symbol: symbol, at: bar.timestamp), stored != bar {
                    throw StoreError(.conflictingBar,
                                     "\(symbol) bar at \(bar.timestamp) differs from the stored one (stored \(stored), new \(bar)); nothing imported")
                }
            }
            return inserted
        }
    }

    /// Bars of `symbol` with `from <= time < to`, in time order.
    public func bars(symbol: String, from: Timestamp = Timestamp(nanoseconds: .min),
                     to: Timestamp = Timestamp(nanoseconds: .max)) throws -> [Bar] {
        try backend.read { db in
            try db.rows(sql: """
                SELECT * FROM bar WHERE symbol = ? AND time_ns >= ? AND time_ns < ? ORDER BY time_ns
                """, arguments: [symbol, from.nanoseconds, to.nanoseconds]).map { try Self.bar(from: $0) }
        }
    }

    /// Symbols with stored bars and how many each has.
    public func barCounts() throws -> [(symbol: String, bars: Int)] {
        try backend.read { db in
            try db.rows(sql: "SELECT symbol, COUNT(*) AS n FROM bar GROUP BY symbol ORDER BY symbol")
                .map { (try $0["symbol"], try $0["n"]) }
        }
    }

    static func bar(_ db: any StoreConnection, symbol: String, at time: Timestamp) throws -> Bar? {
        try db.row(sql: "SELECT * FROM bar WHERE symbol = ? AND time_ns = ?", arguments: [symbol, time.nanoseconds])
            .map { try bar(from: $0) }
    }

    static func bar(from row: StoreRow) throws -> Bar {
        try Bar(timestamp: Timestamp(nanoseconds: row["time_ns"]), open: Price(units: row["open_units"]),
            high: Price(units: row["high_units"]), low: Price(units: row["low_units"]), close: Price(units: row["close_units"]),
            volume: StoredQuantity.read(row, "volume", table: "bar"))
    }
}
