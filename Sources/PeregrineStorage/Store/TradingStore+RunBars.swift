import PeregrineCore

/// The bars each trading run handled and its bot's configuration, kept so its fills can be checked
/// against a backtest on the same bars. A bar stored twice for one run (a turn replayed after a restart of the store write) is kept once.
extension TradingStore {
    /// Stores the bars in one transaction.
    public func recordRunBars(runID: Int64, _ bars: [RunBar]) throws {
        guard !bars.isEmpty else { return }
        try backend.write { db in try Self.insertRunBars(db, runID: runID, bars) }
    }

    static func insertRunBars(_ db: any StoreConnection, runID: Int64, _ bars: [RunBar]) throws {
        let insert = """
            INSERT INTO run_bar (run_id, bot, symbol, timeframe, time_ns, open_units, high_units, low_units, close_units, volume, warm_up)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, symbol, time_ns) DO NOTHING
            """
        for item in bars {
            let bar = item.bar
            try db.execute(sql: insert, arguments: [runID, item.bot, item.symbol, item.timeframe, bar.timestamp.nanoseconds, bar.open.units,
                                                    bar.high.units, bar.low.units, bar.close.units, StoredQuantity.text(bar.volume),
                                                    item.warmUp ? 1 : 0])
        }
    }

    /// A run's bars in time order (then symbol order), warm-up first as it came first.
    public func runBars(runID: Int64) throws -> [RunBar] {
        try backend.read { db in
            try db.rows(sql: "SELECT * FROM run_bar WHERE run_id = ? ORDER BY time_ns, symbol", arguments: [runID]).map { row in
                let warmUp: Int64 = try row["warm_up"]
                return try RunBar(bot: row["bot"], symbol: row["symbol"], timeframe: row["timeframe"], bar: Self.bar(from: row), warmUp: warmUp != 0)
            }
        }
    }

    /// A run's bars per symbol in columns, read `pageRows` at a time along the table's key (run,
    /// symbol, time), so the rows of a long run are never all in memory at once.
    public func runBarColumns(runID: Int64, pageRows: Int = 20_000) throws -> RunBarColumns {
        try backend.read { db in
            var columns = RunBarColumns()
            columns.bots = try db.rows(sql: "SELECT DISTINCT bot FROM run_bar WHERE run_id = ? ORDER BY bot", arguments: [runID])
                .map { try $0["bot"] }
            columns.symbols = try db.rows(sql: "SELECT DISTINCT symbol FROM run_bar WHERE run_id = ? ORDER BY symbol", arguments: [runID])
                .map { try $0["symbol"] }
            let page = """
                SELECT time_ns, open_units, high_units, low_units, close_units, volume, warm_up FROM run_bar
                WHERE run_id = ? AND symbol = ? AND time_ns > ? ORDER BY time_ns LIMIT ?
                """
            for symbol in columns.symbols {
                var series = BarSeries(instrument: symbol.contains("/") ? .crypto(symbol) : .usEquity(symbol))
                var warmUp = 0
                var after = Int64.min
                while true {
                    let rows = try db.rows(sql: page, arguments: [runID, symbol, after, pageRows])
                    for row in rows {
                        series.append(try Self.bar(from: row))
                        let isWarmUp: Int64 = try row["warm_up"]
                        if isWarmUp != 0 {
                            warmUp += 1
                            columns.lastWarmUp = max(columns.lastWarmUp ?? .min, series.timestamps[series.count - 1])
                        }
                    }
                    guard rows.count == pageRows, let last = series.timestamps.last else { break }
                    after = last
                }
                columns.series.append(series)
                columns.warmUpCounts.append(warmUp)
            }
            return columns
        }
    }

    /// The latest run of the bot with stored bars, nil when it has none.
    public func latestRunWithBars(bot: String) throws -> Int64? {
        try backend.read { db in
            try db.value(Int64.self, sql: "SELECT MAX(run_id) FROM run_bar WHERE bot = ?", arguments: [bot])
        }
    }

    /// Keeps the configuration document the run's bot started with.
    public func recordRunConfiguration(runID: Int64, bot: String, document: String) throws {
        try backend.write { db in
            try db.execute(sql: "INSERT INTO run_configuration (run_id, bot, document) VALUES (?, ?, ?) ON CONFLICT (run_id) DO NOTHING",
                           arguments: [runID, bot, document])
        }
    }

    /// The configuration document of a run's bot, nil when none was kept.
    public func runConfiguration(runID: Int64) throws -> (bot: String, document: String)? {
        try backend.read { db in
            try db.row(sql: "SELECT bot, document FROM run_configuration WHERE run_id = ?", arguments: [runID]).map { (try $0["bot"], try $0["document"]) }
        }
    }
}
