import PeregrineCore
import PeregrineEngine

/// One decision as the store keeps it: with its symbol, the order it placed, and the strategy (or
/// portfolio sleeve) that made it.
public typealias DecisionRecord = (decision: Decision, symbol: String, clientOrderID: String?, strategy: String?)

/// Decisions (holds and rejections with their reasons, and the orders sent) kept with their run.
extension TradingStore {
    /// Appends decisions of a running session as they are made, in one transaction.
    public func appendDecisions(runID: Int64, _ items: [DecisionRecord]) throws {
        guard !items.isEmpty else { return }
        try backend.write { db in try Self.insertDecisions(db, runID: runID, items) }
    }

    static func insertDecisions(_ db: any StoreConnection, runID: Int64, _ items: [DecisionRecord]) throws {
        let statement = """
            INSERT INTO decision (run_id, time_ns, symbol, action, outcome, reason, detail, side, quantity,
                order_client_id, strategy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        for (item, symbol, clientOrderID, strategy) in items {
            try db.execute(sql: statement, arguments: [runID, item.timestamp.nanoseconds, symbol, item.action.map { "\($0)" },
                                              item.outcome.rawValue, item.reason.code, item.detail, item.side?.rawValue,
                                              StoredQuantity.text(item.quantity), clientOrderID, strategy])
        }
    }

    /// The decision that placed each order, by client order id: its side and detail (the signal's
    /// figures). What an adaptive threshold learns from, joined with the fills.
    public func orderDecisions(runID: Int64? = nil, tradingOnly: Bool = false) throws -> [String: (side: OrderSide?, detail: String)] {
        try backend.read { db in
            let (filter, arguments) = Self.runFilter(runID: runID, tradingOnly: tradingOnly, column: "run_id")
            let clause = filter.isEmpty ? "WHERE order_client_id IS NOT NULL" : filter + " AND order_client_id IS NOT NULL"
            var result: [String: (side: OrderSide?, detail: String)] = [:]
            for row in try db.rows(sql: "SELECT order_client_id, side, detail FROM decision \(clause) ORDER BY id", arguments: arguments) {
                let side: String? = try row["side"]
                result[try row["order_client_id"]] = (side.flatMap(OrderSide.init(rawValue:)), try row["detail"])
            }
            return result
        }
    }
}
