import Foundation
import PeregrineCore

/// A deployment's store: runs, decisions, order intents and their events, fills, bars and resumable
/// state, in one SQLite file (WAL mode) or in a PostgreSQL database shared by many processes. Order
/// intents are committed durably before the order is sent, which is what lets a restarted process know
/// what it may already have sent; fills are keyed by the broker's execution id, so a replay is ignored.
public final class TradingStore: Sendable {
    /// Where the store is, as a user may be shown it: the file's path, or the URL without its password.
    public let path: String
    public let location: StoreLocation
    let backend: any StoreBackend

    /// Opens (creating if needed) the store at `path` (a SQLite file, or a `postgres://` URL) and
    /// brings its schema up to date.
    public convenience init(path: String) throws {
        try self.init(location: StoreLocation(path))
    }

    /// Opens (creating if needed) the store and brings its schema up to date.
    public init(location: StoreLocation) throws {
        self.location = location
        path = location.description
        switch location {
        case .sqlite(let file): backend = try SQLiteBackend(path: file)
        case .postgres(let server): backend = try PostgresBackend(server, readOnly: false)
        }
    }

    /// Opens an existing store for reading only (to browse it while a bot may be writing to it): nothing
    /// is created or migrated, and a store written by an older Peregrine is refused with what to run.
    public convenience init(readingOnly path: String) throws {
        try self.init(readingOnly: StoreLocation(path))
    }

    public init(readingOnly location: StoreLocation) throws {
        self.location = location
        path = location.description
        switch location {
        case .sqlite(let file): backend = try SQLiteBackend(readingOnly: file)
        case .postgres(let server): backend = try PostgresBackend(server, readOnly: true)
        }
    }

    /// The names of the applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try backend.appliedMigrations()
    }

    /// The migrations applied when this store was opened, oldest first: what `db migrate` reports.
    public var migrationsAppliedOnOpen: [String] { backend.migrationsAppliedOnOpen }

    /// Frees the connections' caches in this process (SQLite's page caches, after a long read such as a
    /// parity check's), so a long-running process does not keep them at their largest.
    public func releaseMemory() { backend.releaseMemory() }

    /// Whether rows become visible in the order of their row ids: true on SQLite, whose one writer at a
    /// time numbers rows inside its transaction, so a reader that saw row N has seen every row before
    /// it. PostgreSQL numbers rows before they commit, and a later number can commit first.
    public var rowsAppearInIDOrder: Bool { backend is SQLiteBackend }

    /// The journal mode SQLite reports (`wal` for a store); `postgresql` for a PostgreSQL store.
    public func journalMode() throws -> String {
        guard let sqlite = backend as? SQLiteBackend else { return "postgresql" }
        return try sqlite.journalMode()
    }

    // MARK: Runs

    public func beginRun(kind: String, strategy: String, parameters: String, started: Timestamp,
                         initialEquity: Money) throws -> Int64 {
        try backend.write { db in
            try db.insertReturningID(sql: """
                INSERT INTO run (kind, strategy, parameters, started_ns, initial_equity) VALUES (?, ?, ?, ?, ?) RETURNING id
                """, arguments: [kind, strategy, parameters, started.nanoseconds, initialEquity.description])
        }
    }

    /// Each run's kind and strategy by id, without counting its rows: what a listing needs to name them.
    public func runNames() throws -> [Int64: (kind: String, strategy: String)] {
        try backend.read { db in
            var names: [Int64: (kind: String, strategy: String)] = [:]
            for row in try db.rows(sql: "SELECT id, kind, strategy FROM run") { names[try row["id"]] = (try row["kind"], try row["strategy"]) }
            return names
        }
    }

    public func finishRun(_ runID: Int64, bars: Int, finalEquity: Money) throws {
        try backend.write { db in
            let changed = try db.execute(sql: "UPDATE run SET bars = ?, final_equity = ? WHERE id = ?",
                                         arguments: [bars, finalEquity.description, runID])
            guard changed == 1 else { throw StoreError(.unknownRun, "run \(runID) is not in \(path)") }
        }
    }

    /// Every run with its counts (or only run `id`).
    public func runs(id: Int64? = nil) throws -> [RunSummary] {
        try backend.read { db in
            try db.rows(sql: """
                SELECT r.*,
                    (SELECT COUNT(*) FROM decision d WHERE d.run_id = r.id) AS decisions,
                    (SELECT COUNT(*) FROM order_intent o WHERE o.run_id = r.id) AS orders,
                    (SELECT COUNT(*) FROM fill f JOIN order_intent o ON f.client_order_id = o.client_order_id
                        WHERE o.run_id = r.id) AS fills
                FROM run r \(id == nil ? "" : "WHERE r.id = ?") ORDER BY r.id
                """, arguments: id.map { [$0] } ?? []).map { row in
                try RunSummary(id: row["id"], kind: row["kind"], strategy: row["strategy"], parameters: row["parameters"],
                           started: Timestamp(nanoseconds: row["started_ns"]), bars: row["bars"],
                           initialEquity: Money(row["initial_equity"] as String) ?? .zero,
                           finalEquity: (row["final_equity"] as String?).flatMap { Money($0) },
                           decisions: row["decisions"], orders: row["orders"], fills: row["fills"])
            }
        }
    }

    // MARK: Order intents (write-ahead)

    /// Makes the intent durable. Call before the order leaves the process; a client order id that is
    /// already recorded is refused, which is what stops an order being sent twice.
    public func recordIntent(_ intent: OrderIntent, at time: Timestamp) throws {
        try backend.write { db in
            let inserted = try db.execute(sql: """
                INSERT INTO order_intent (client_order_id, run_id, symbol, side, quantity, type, body, state,
                    broker_order_id, status, created_ns, updated_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (client_order_id) DO NOTHING
                """, arguments: [intent.clientOrderID, intent.runID, intent.symbol, intent.side.rawValue,
                                 StoredQuantity.text(intent.quantity), intent.type.rawValue, intent.body, intent.state.rawValue,
                                 intent.brokerOrderID, intent.status, time.nanoseconds, time.nanoseconds])
            guard inserted == 1 else {
                throw StoreError(.duplicateClientOrderID,
                                 "client order id \(intent.clientOrderID) is already recorded; the order is not sent again")
            }
            try Self.event(db, intent.clientOrderID, time, intent.state.rawValue, intent.body)
        }
    }

    /// Moves an intent forward: intended → sent → acknowledged, or to rejected. Going backwards is
    /// refused, so a late or replayed message cannot undo what the broker already said.
    public func advance(_ clientOrderID: String, to state: OrderIntent.State, brokerOrderID: String? = nil,
                        status: String? = nil, detail: String = "", at time: Timestamp) throws {
        try backend.write { db in
            guard let current = try db.value(String.self, sql: "SELECT state FROM order_intent WHERE client_order_id = ?",
                                             arguments: [clientOrderID]) else {
                throw StoreError(.unknownClientOrderID, "client order id \(clientOrderID) was never recorded")
            }
            let order: [OrderIntent.State] = [.intended, .sent, .acknowledged]
            let from = OrderIntent.State(rawValue: current) ?? .intended
            let allowed = from != .rejected && (state == .rejected
                || (order.firstIndex(of: state) ?? 0) >= (order.firstIndex(of: from) ?? 0))
            guard allowed else {
                throw StoreError(.invalidTransition, "order \(clientOrderID) cannot go from \(current) to \(state.rawValue)")
            }
            try db.execute(sql: """
                UPDATE order_intent SET state = ?, broker_order_id = COALESCE(?, broker_order_id),
                    status = COALESCE(?, status), updated_ns = ? WHERE client_order_id = ?
                """, arguments: [state.rawValue, brokerOrderID, status, time.nanoseconds, clientOrderID])
            try Self.event(db, clientOrderID, time, state.rawValue, detail)
        }
    }

    /// Notes the broker's latest status of an order this store knows (filled, canceled, ...) with an
    /// event; the intent's own state (how far sending got) is not touched. Unknown orders are ignored.
    public func updateStatus(_ clientOrderID: String, to status: String, at time: Timestamp) throws {
        try backend.write { db in
            let changed = try db.execute(
                sql: "UPDATE order_intent SET status = ?, updated_ns = ? WHERE client_order_id = ? AND status IS DISTINCT FROM ?",
                arguments: [status, time.nanoseconds, clientOrderID, status])
            if changed == 1 { try Self.event(db, clientOrderID, time, "status", status) }
        }
    }

    public func intent(_ clientOrderID: String) throws -> OrderIntent? {
        try backend.read { db in
            try db.row(sql: "SELECT * FROM order_intent WHERE client_order_id = ?", arguments: [clientOrderID])
                .map { try Self.intent(from: $0) }
        }
    }

    /// Intents in the given states, oldest first: after a restart, `[.intended, .sent]` are the
    /// orders whose fate must be asked of the broker before anything new is sent.
    public func intents(in states: [OrderIntent.State]) throws -> [OrderIntent] {
        try backend.read { db in
            let marks = states.map { _ in "?" }.joined(separator: ",")
            return try db.rows(sql: "SELECT * FROM order_intent WHERE state IN (\(marks)) ORDER BY created_ns, rowid",
                               arguments: states.map(\.rawValue))
                .map { try Self.intent(from: $0) }
        }
    }

    /// Every order of a run (or of all runs; with `tradingOnly`, of all runs but backtests), oldest first.
    public func orders(runID: Int64? = nil, tradingOnly: Bool = false) throws -> [OrderIntent] {
        try backend.read { db in
            let (filter, arguments) = Self.runFilter(runID: runID, tradingOnly: tradingOnly, column: "run_id")
            return try db.rows(sql: "SELECT * FROM order_intent \(filter) ORDER BY created_ns, rowid",
                               arguments: arguments).map { try Self.intent(from: $0) }
        }
    }

    /// The recorded events of one order, oldest first, as (event, detail).
    public func events(_ clientOrderID: String) throws -> [(event: String, detail: String)] {
        try backend.read { db in
            try db.rows(sql: "SELECT event, detail FROM order_event WHERE client_order_id = ? ORDER BY id",
                        arguments: [clientOrderID]).map { (try $0["event"], try $0["detail"]) }
        }
    }

    // MARK: Fills

    /// Records a fill once. Returns `false` when this execution id was already recorded (a replay).
    @discardableResult
    public func recordFill(_ fill: StoredFill) throws -> Bool {
        try backend.write { db in
            try db.execute(sql: """
                INSERT INTO fill (execution_id, client_order_id, time_ns, symbol, side, quantity,
                    price_units, commission, multiplier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (execution_id) DO NOTHING
                """, arguments: [fill.executionID, fill.clientOrderID, fill.timestamp.nanoseconds, fill.symbol,
                                 fill.side.rawValue, StoredQuantity.text(fill.quantity), fill.price.units, fill.commission.description,
                                 Int64(fill.multiplier)]) == 1
        }
    }

    public func fills(runID: Int64? = nil, tradingOnly: Bool = false) throws -> [StoredFill] {
        try backend.read { db in
            let (filter, arguments) = Self.runFilter(runID: runID, tradingOnly: tradingOnly, column: "o.run_id")
            return try db.rows(sql: """
                SELECT f.* FROM fill f JOIN order_intent o ON f.client_order_id = o.client_order_id \(filter)
                ORDER BY f.time_ns, f.rowid
                """, arguments: arguments).map { row in
                try StoredFill(executionID: row["execution_id"], clientOrderID: row["client_order_id"],
                           timestamp: Timestamp(nanoseconds: row["time_ns"]), symbol: row["symbol"],
                           side: OrderSide(rawValue: row["side"]) ?? .buy, quantity: StoredQuantity.read(row, "quantity", table: "fill"),
                           price: Price(units: row["price_units"]), commission: Money(row["commission"] as String) ?? .zero,
                           multiplier: Int(row["multiplier"] as Int64))
            }
        }
    }

    /// Net position per symbol implied by the recorded fills (what reconciliation compares with the
    /// broker, with `tradingOnly` so that backtests kept in the same file do not count).
    public func netPositions(runID: Int64? = nil, tradingOnly: Bool = false) throws -> [String: Quantity] {
        var positions: [String: Quantity] = [:]
        for fill in try fills(runID: runID, tradingOnly: tradingOnly) {
            positions[fill.symbol, default: .zero] += fill.side == .buy ? fill.quantity : -fill.quantity
        }
        return positions.filter { $0.value != .zero }
    }

    // MARK: Resumable state

    public func saveState(_ key: String, json: String, at time: Timestamp) throws {
        try backend.write { db in
            try db.execute(sql: """
                INSERT INTO state (key, value, updated_ns) VALUES (?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_ns = excluded.updated_ns
                """, arguments: [key, json, time.nanoseconds])
        }
    }

    public func loadState(_ key: String) throws -> String? {
        try backend.read { db in try db.value(String.self, sql: "SELECT value FROM state WHERE key = ?", arguments: [key]) }
    }

    /// Keys of the saved states that start with `prefix`, sorted.
    public func stateKeys(prefix: String) throws -> [String] {
        try backend.read { db in
            try db.values(String.self, sql: "SELECT key FROM state WHERE substr(key, 1, length(?)) = ? ORDER BY key",
                          arguments: [prefix, prefix])
        }
    }

    // MARK: Helpers

    /// `WHERE` clause restricting rows to one run, or to runs that traded (every kind but backtest).
    static func runFilter(runID: Int64?, tradingOnly: Bool, column: String) -> (String, StoreArguments) {
        var clauses: [String] = []
        var arguments: StoreArguments = []
        if let runID {
            clauses.append("\(column) = ?")
            arguments += [runID]
        }
        if tradingOnly { clauses.append("\(column) IN (SELECT id FROM run WHERE kind != 'backtest')") }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    static func event(_ db: any StoreConnection, _ clientOrderID: String, _ time: Timestamp, _ event: String, _ detail: String) throws {
        try db.execute(sql: "INSERT INTO order_event (client_order_id, time_ns, event, detail) VALUES (?, ?, ?, ?)",
                       arguments: [clientOrderID, time.nanoseconds, event, detail])
    }

    static func intent(from row: StoreRow) throws -> OrderIntent {
        try OrderIntent(clientOrderID: row["client_order_id"], runID: row["run_id"], symbol: row["symbol"],
                    side: OrderSide(rawValue: row["side"]) ?? .buy, quantity: StoredQuantity.read(row, "quantity", table: "order_intent"),
                    type: OrderType(rawValue: row["type"]) ?? .market, body: row["body"],
                    state: OrderIntent.State(rawValue: row["state"]) ?? .intended, brokerOrderID: row["broker_order_id"],
                    status: row["status"])
    }
}
