import GRDB
import PeregrineCore
import PeregrineEngine

/// Decisions (holds and rejections with their reasons, and the orders sent) kept with their run.
extension TradingStore {
    /// Appends decisions of a running session as they are made, in one transaction.
    public func appendDecisions(runID: Int64, _ items: [(decision: Decision, symbol: String, clientOrderID: String?)]) throws {
        guard !items.isEmpty else { return }
        try pool.write { db in try Self.insertDecisions(db, runID: runID, items) }
    }

    static func insertDecisions(_ db: Database, runID: Int64,
                                _ items: [(decision: Decision, symbol: String, clientOrderID: String?)]) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO decision (run_id, time_ns, symbol, action, outcome, reason, detail, side, quantity_units,
                order_client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (item, symbol, clientOrderID) in items {
            try statement.execute(arguments: [runID, item.timestamp.nanoseconds, symbol, item.action.map { "\($0)" },
                                              item.outcome.rawValue, item.reason, item.detail, item.side?.rawValue,
                                              item.quantity.units, clientOrderID])
        }
    }
}
