import Foundation
import PeregrineCore

/// Account snapshots of trading runs, so a deployment's equity and positions over time can be read
/// back without replaying its fills.
extension TradingStore {
    public func recordSnapshot(runID: Int64, _ snapshot: AccountSnapshot) throws {
        try backend.write { db in try Self.insertSnapshot(db, runID: runID, snapshot) }
    }

    /// What a trading turn leaves once its orders are out: its decisions and the account after it, in one
    /// transaction, so a crash leaves the turn's record whole or absent, never decisions without the
    /// account they led to; `bars` are the bars the turn handled. (Order intents are not part of it: each is
    /// committed before its order is sent, and fills as they are heard of.)
    public func recordTurn(runID: Int64, decisions: [DecisionRecord], snapshot: AccountSnapshot, bars: [RunBar] = []) throws {
        try backend.write { db in
            if !bars.isEmpty { try Self.insertRunBars(db, runID: runID, bars) }
            if !decisions.isEmpty { try Self.insertDecisions(db, runID: runID, decisions) }
            try Self.insertSnapshot(db, runID: runID, snapshot)
        }
    }

    static func insertSnapshot(_ db: any StoreConnection, runID: Int64, _ snapshot: AccountSnapshot) throws {
        let positions = Dictionary(uniqueKeysWithValues: snapshot.positions.map { ($0.key, $0.value.description) })
        let json = String(decoding: try JSONSerialization.data(withJSONObject: positions, options: .sortedKeys), as: UTF8.self)
        try db.execute(sql: "INSERT INTO account_snapshot (run_id, time_ns, cash, equity, positions) VALUES (?, ?, ?, ?, ?)",
                       arguments: [runID, snapshot.time.nanoseconds, snapshot.cash.description, snapshot.equity.description, json])
    }

    /// A run's snapshots (every run's without `runID`), oldest first.
    public func snapshots(runID: Int64? = nil) throws -> [(runID: Int64, snapshot: AccountSnapshot)] {
        try backend.read { db in
            let (filter, arguments) = Self.runFilter(runID: runID, tradingOnly: false, column: "run_id")
            return try db.rows(sql: "SELECT * FROM account_snapshot \(filter) ORDER BY time_ns, rowid", arguments: arguments).map { row in
                let text: String = try row["positions"]
                let raw = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String] ?? [:]
                var positions: [String: Quantity] = [:]
                for (symbol, quantity) in raw { positions[symbol] = Quantity(quantity) }
                return try (row["run_id"], AccountSnapshot(time: Timestamp(nanoseconds: row["time_ns"]), cash: Money(row["cash"] as String) ?? .zero,
                                                       equity: Money(row["equity"] as String) ?? .zero, positions: positions))
            }
        }
    }
}
