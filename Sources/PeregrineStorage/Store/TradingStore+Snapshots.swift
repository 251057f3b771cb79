import Foundation
import PeregrineCore

/// Account snapshots of trading runs, so a deployment's equity and positions over time can be read
/// back without replaying its fills.
extension TradingStore {
    public func recordSnapshot(runID: Int64, _ snapshot: AccountSnapshot) throws {
        let positions = Dictionary(uniqueKeysWithValues: snapshot.positions.map { ($0.key, $0.value.description) })
        let json = String(decoding: try JSONSerialization.data(withJSONObject: positions, options: .sortedKeys), as: UTF8.self)
        try backend.write { db in
            try db.execute(sql: "INSERT INTO account_snapshot (run_id, time_ns, cash, equity, positions) VALUES (?, ?, ?, ?, ?)",
                           arguments: [runID, snapshot.time.nanoseconds, snapshot.cash.description, snapshot.equity.description, json])
        }
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
