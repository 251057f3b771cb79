import PeregrineCore

/// One decision, as the audit trail keeps it: what was asked, what was done, and why.
public struct Decision: Hashable, Sendable {
    public enum Outcome: String, Hashable, Sendable {
        case submitted
        case held
        case rejected
    }

    public var timestamp: Timestamp
    public var instrument: InstrumentID
    /// The signal, or `nil` for an explicit order.
    public var action: SignalAction?
    public var outcome: Outcome
    /// Why: a gate rule, the schedule, an exit rule, a refusal, ...; `reason.code` is its stored form.
    public var reason: DecisionReason
    public var detail: String
    public var side: OrderSide?
    public var quantity: Quantity
    public var orderID: OrderID?

    public init(timestamp: Timestamp, instrument: InstrumentID, action: SignalAction?, outcome: Outcome,
                reason: DecisionReason, detail: String = "", side: OrderSide? = nil, quantity: Quantity = .zero,
                orderID: OrderID? = nil) {
        self.timestamp = timestamp
        self.instrument = instrument
        self.action = action
        self.outcome = outcome
        self.reason = reason
        self.detail = detail
        self.side = side
        self.quantity = quantity
        self.orderID = orderID
    }
}
