import PeregrineCore

/// Filtered, paged reads of decisions, orders and fills: what the control plane's API lists.
extension TradingStore {
    /// Decisions matching the query, newest first, at most `query.limit`.
    public func decisions(matching query: RecordQuery) throws -> [StoredDecision] {
        var clauses: [String] = []
        var arguments: StoreArguments = []
        if let bot = query.bot {
            clauses.append("(strategy = ? OR run_id IN (SELECT id FROM run WHERE strategy = ?))")
            arguments += [bot, bot]
        }
        if let action = query.action { clauses.append("action = ?"); arguments += [action] }
        if let outcome = query.outcome { clauses.append("outcome = ?"); arguments += [outcome] }
        if let reason = query.reason { clauses.append("reason = ?"); arguments += [reason] }
        Self.common(query, time: "time_ns", run: "run_id", id: "id", symbol: "symbol", into: &clauses, &arguments)
        return try backend.read { db in
            try db.rows(sql: "SELECT * FROM decision \(Self.whereClause(clauses)) ORDER BY id DESC LIMIT ?",
                             arguments: arguments + [query.limit]).map { row in
                try StoredDecision(id: row["id"], runID: row["run_id"], time: Timestamp(nanoseconds: row["time_ns"]), symbol: row["symbol"],
                               action: row["action"], outcome: row["outcome"], reason: row["reason"], detail: row["detail"],
                               side: (row["side"] as String?).flatMap(OrderSide.init(rawValue:)),
                               quantity: StoredQuantity.read(row, "quantity", table: "decision"),
                               clientOrderID: row["order_client_id"], strategy: row["strategy"])
            }
        }
    }

    /// Orders matching the query (with their row id and last update), newest first.
    public func orders(matching query: RecordQuery) throws -> [(rowID: Int64, updated: Timestamp, intent: OrderIntent)] {
        var clauses: [String] = []
        var arguments: StoreArguments = []
        if let bot = query.bot { clauses.append("run_id IN (SELECT id FROM run WHERE strategy = ?)"); arguments += [bot] }
        if let status = query.status {
            clauses.append("(state = ? OR status = ?)")
            arguments += [status, status]
        }
        Self.common(query, time: "created_ns", run: "run_id", id: "rowid", symbol: "symbol", into: &clauses, &arguments)
        return try backend.read { db in
            try db.rows(sql: "SELECT rowid AS row_id, * FROM order_intent \(Self.whereClause(clauses)) ORDER BY rowid DESC LIMIT ?",
                             arguments: arguments + [query.limit]).map { row in
                try (row["row_id"], Timestamp(nanoseconds: row["updated_ns"]), Self.intent(from: row))
            }
        }
    }

    /// Fills matching the query (with their row id and run), newest first.
    public func fills(matching query: RecordQuery) throws -> [(rowID: Int64, runID: Int64, fill: StoredFill)] {
        var clauses: [String] = []
        var arguments: StoreArguments = []
        if let bot = query.bot { clauses.append("o.run_id IN (SELECT id FROM run WHERE strategy = ?)"); arguments += [bot] }
        Self.common(query, time: "f.time_ns", run: "o.run_id", id: "f.rowid", symbol: "f.symbol", into: &clauses, &arguments)
        return try backend.read { db in
            try db.rows(sql: """
                SELECT f.rowid AS row_id, o.run_id AS run, f.* FROM fill f JOIN order_intent o ON f.client_order_id = o.client_order_id
                \(Self.whereClause(clauses)) ORDER BY f.rowid DESC LIMIT ?
                """, arguments: arguments + [query.limit]).map { row in
                try (row["row_id"], row["run"],
                 StoredFill(executionID: row["execution_id"], clientOrderID: row["client_order_id"], timestamp: Timestamp(nanoseconds: row["time_ns"]),
                            symbol: row["symbol"], side: OrderSide(rawValue: row["side"]) ?? .buy,
                            quantity: StoredQuantity.read(row, "quantity", table: "fill"), price: Price(units: row["price_units"]),
                            commission: Money(row["commission"] as String) ?? .zero, multiplier: Int(row["multiplier"] as Int64)))
            }
        }
    }

    /// One run's summary row, nil when the store has no such run.
    public func run(_ id: Int64) throws -> RunSummary? {
        try runs(id: id).first
    }

    // MARK: Reports

    /// Keeps what a run's command wrote about it: the summary JSON and, when one was made, its tearsheet.
    public func recordReport(runID: Int64, summary: String, html: String?) throws {
        try backend.write { db in
            try db.execute(sql: """
                INSERT INTO run_report (run_id, summary, html) VALUES (?, ?, ?)
                ON CONFLICT(run_id) DO UPDATE SET summary = excluded.summary, html = excluded.html
                """, arguments: [runID, summary, html])
        }
    }

    /// A run's stored summary JSON and tearsheet, nil when none was stored.
    public func report(runID: Int64) throws -> (summary: String, html: String?)? {
        try backend.read { db in
            try db.row(sql: "SELECT summary, html FROM run_report WHERE run_id = ?", arguments: [runID]).map { (try $0["summary"], try $0["html"]) }
        }
    }

    // MARK: Helpers

    static func common(_ query: RecordQuery, time: String, run: String, id: String, symbol: String,
                       into clauses: inout [String], _ arguments: inout StoreArguments) {
        if let runID = query.runID { clauses.append("\(run) = ?"); arguments += [runID] }
        if let value = query.symbol { clauses.append("\(symbol) = ?"); arguments += [value] }
        if let from = query.from { clauses.append("\(time) >= ?"); arguments += [from.nanoseconds] }
        if let to = query.to { clauses.append("\(time) <= ?"); arguments += [to.nanoseconds] }
        if let before = query.before { clauses.append("\(id) < ?"); arguments += [before] }
        if let after = query.after { clauses.append("\(id) > ?"); arguments += [after] }
        if query.tradingOnly { clauses.append("\(run) IN (SELECT id FROM run WHERE kind != 'backtest')") }
    }

    static func whereClause(_ clauses: [String]) -> String {
        clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    }
}

/// Latest marks and which runs have reports, for the control plane's views.
extension TradingStore {
    /// The close of the latest stored bar of each symbol.
    public func latestCloses() throws -> [String: Price] {
        try backend.read { db in
            var closes: [String: Price] = [:]
            // Symbol to symbol along the primary key, then the last bar of each: index seeks per symbol,
            // never a pass over every stored bar (years of minute bars are millions of rows).
            for row in try db.rows(sql: """
                WITH RECURSIVE symbols(symbol) AS (
                    SELECT MIN(symbol) FROM bar
                    UNION ALL
                    SELECT (SELECT MIN(symbol) FROM bar WHERE symbol > symbols.symbol) FROM symbols WHERE symbols.symbol IS NOT NULL
                )
                SELECT symbol, (SELECT close_units FROM bar WHERE bar.symbol = symbols.symbol ORDER BY time_ns DESC LIMIT 1) AS close_units
                FROM symbols WHERE symbol IS NOT NULL
                """) {
                closes[try row["symbol"]] = Price(units: try row["close_units"])
            }
            return closes
        }
    }

    /// Ids of the runs with a stored tearsheet.
    public func reportedRuns() throws -> Set<Int64> {
        try backend.read { db in Set(try db.values(Int64.self, sql: "SELECT run_id FROM run_report WHERE html IS NOT NULL")) }
    }
}

/// The account as the trading runs last recorded it, read without loading every snapshot: what a
/// status request needs many times a second.
extension TradingStore {
    /// The latest snapshot of any trading run (every kind but backtest and sweep), and the one the
    /// day's P&L is measured from: the last before `dayStart` of the latest one's UTC day, or else
    /// the day's first.
    public func latestTradingSnapshot() throws -> (latest: AccountSnapshot, opening: AccountSnapshot)? {
        try backend.read { db in
            // One index seek per trading run on (run_id, time_ns), never a sort of every snapshot: a
            // store of a long run holds one snapshot a turn.
            let runs = try db.values(Int64.self, sql: "SELECT id FROM run WHERE kind NOT IN ('backtest', 'sweep')")
            func pick(_ sql: String, _ arguments: StoreArguments, latest: Bool) throws -> AccountSnapshot? {
                var best: (time: Int64, rowID: Int64, snapshot: AccountSnapshot)?
                for run in runs {
                    guard let row = try db.row(sql: "SELECT rowid AS row_id, time_ns, cash, equity FROM account_snapshot WHERE run_id = ? \(sql) LIMIT 1",
                                               arguments: [run] + arguments) else { continue }
                    let time: Int64 = try row["time_ns"], rowID: Int64 = try row["row_id"]
                    if let current = best, latest ? (time, rowID) < (current.time, current.rowID) : (time, rowID) > (current.time, current.rowID) { continue }
                    best = (time, rowID, AccountSnapshot(time: Timestamp(nanoseconds: time), cash: Money(try row["cash"] as String) ?? .zero,
                                                         equity: Money(try row["equity"] as String) ?? .zero, positions: [:]))
                }
                return best?.snapshot
            }
            guard let latest = try pick("ORDER BY time_ns DESC, rowid DESC", [], latest: true) else { return nil }
            let dayStart = Timestamp(date: latest.time.utcDate).nanoseconds
            let opening = try pick("AND time_ns < ? ORDER BY time_ns DESC, rowid DESC", [dayStart], latest: true)
                ?? pick("AND time_ns >= ? ORDER BY time_ns, rowid", [dayStart], latest: false) ?? latest
            return (latest, opening)
        }
    }
}
