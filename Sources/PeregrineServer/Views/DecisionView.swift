import PeregrineStorage

/// A decision with its reason, as the API lists it.
public struct DecisionView: Codable, Sendable, Equatable {
    public var id: Int64
    public var runId: Int64
    public var time: String
    public var symbol: String
    public var bot: String?
    public var action: String?
    public var outcome: String
    public var reason: String
    public var detail: String
    public var side: String?
    public var quantity: String
    public var clientOrderId: String?

    public init(_ stored: StoredDecision) {
        id = stored.id
        runId = stored.runID
        time = stored.time.iso8601
        symbol = stored.symbol
        bot = stored.strategy
        action = stored.action
        outcome = stored.outcome
        reason = stored.reason
        detail = stored.detail
        side = stored.side?.rawValue
        quantity = stored.quantity.description
        clientOrderId = stored.clientOrderID
    }
}
