import PeregrineAlpaca
import PeregrineCore
import PeregrineEngine
import PeregrineModels
import PeregrineStorage

/// Start-up reconciliation between the store and the broker, run before any new order is sent:
/// every intent whose fate the store does not know is looked up by client order id (found: adopted;
/// absent: marked rejected, never resent), fills the broker has and the store lacks are recorded,
/// and positions and open orders are compared. A mismatch is reported, not papered over.
public struct Reconciler: Sendable {
    public let store: TradingStore
    public let broker: AlpacaTradingClient

    public init(store: TradingStore, broker: AlpacaTradingClient) {
        self.store = store
        self.broker = broker
    }

    public func run(at time: Timestamp) async throws -> ReconciliationReport {
        var report = ReconciliationReport()
        var seen: [String: AlpacaOrder] = [:]
        for intent in try store.intents(in: [.intended, .sent]) {
            if Self.isMultiLeg(intent) {
                // An mleg option order has no symbol or side of its own: read as one, no legs to store.
                if let order = try await broker.multiLegOrder(clientOrderID: intent.clientOrderID) {
                    try store.advance(intent.clientOrderID, to: .acknowledged, brokerOrderID: order.id, status: order.status.rawValue,
                                      detail: "found at the broker on restart", at: time)
                    report.intents[intent.clientOrderID] = .foundAtBroker
                } else {
                    try store.advance(intent.clientOrderID, to: .rejected, detail: "not at the broker on restart; not resent", at: time)
                    report.intents[intent.clientOrderID] = .neverReachedBroker
                }
                continue
            }
            if let order = try await broker.order(clientOrderID: intent.clientOrderID) {
                try store.recordLegs(of: order, parent: intent.clientOrderID, runID: intent.runID, at: time)
                try store.advance(intent.clientOrderID, to: .acknowledged, brokerOrderID: order.id, status: order.status.rawValue,
                                  detail: "found at the broker on restart", at: time)
                report.intents[intent.clientOrderID] = .foundAtBroker
                seen[intent.clientOrderID] = order
            } else {
                try store.advance(intent.clientOrderID, to: .rejected, detail: "not at the broker on restart; not resent", at: time)
                report.intents[intent.clientOrderID] = .neverReachedBroker
            }
        }
        // Fills missed while down: the broker's filled quantity beyond what the store holds, booked at
        // the order's average price under an execution id derived from the order and its filled total,
        // so running this twice records it once. Orders whose stored fills already cover them are not
        // asked about again; backtests kept in the same file are not trading and are left out.
        var have: [String: Quantity] = [:]
        for fill in try store.fills(tradingOnly: true) { have[fill.clientOrderID, default: .zero] += fill.quantity }
        // An mleg order's fills are its legs' (one row each), which the order's own quantity does not count.
        for intent in try store.orders(tradingOnly: true) where intent.state == .acknowledged && !Self.isMultiLeg(intent) {
            let stored = have[intent.clientOrderID] ?? .zero
            guard stored < intent.quantity else { continue }
            let fetched: AlpacaOrder?
            if let known = seen[intent.clientOrderID] { fetched = known } else {
                fetched = try await broker.order(clientOrderID: intent.clientOrderID)
            }
            guard let order = fetched, order.filledQuantity > stored, let price = order.filledAveragePrice else { continue }
            let executionID = "catch-up:\(order.id):\(order.filledQuantity)"
            let fill = StoredFill(executionID: executionID, clientOrderID: intent.clientOrderID,
                                  timestamp: order.filledAt ?? time, symbol: order.symbol, side: order.side,
                                  quantity: order.filledQuantity - stored, price: price,
                                  multiplier: (try? OCCSymbol(order.symbol)) == nil ? 1 : OptionBook.multiplier)
            if try store.recordFill(fill) { report.recoveredFills.append(executionID) }
        }
        let ours = try store.netPositions(tradingOnly: true)
        var theirs: [String: Quantity] = [:]
        for position in try await broker.positions() where position.quantity != .zero { theirs[position.symbol] = position.quantity }
        for symbol in Set(ours.keys).union(theirs.keys).sorted() where ours[symbol] != theirs[symbol] {
            report.mismatches.append(.init(symbol: symbol, store: ours[symbol] ?? .zero, broker: theirs[symbol] ?? .zero))
        }
        let known = Set(try store.orders(tradingOnly: true).map(\.clientOrderID))
        let open = try await broker.openOrders().map(\.clientOrderID) + broker.openMultiLegOrders().map(\.clientOrderID)
        report.externalOrders = open.filter { !known.contains($0) }.sorted()
        return report
    }

    /// Whether a stored intent is an mleg option order (its body, in canonical JSON, says so).
    static func isMultiLeg(_ intent: OrderIntent) -> Bool { intent.body.contains("\"order_class\":\"mleg\"") }
}
