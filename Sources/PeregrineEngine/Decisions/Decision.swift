import PeregrineCore

/// One decision, as the audit trail keeps it: what was asked, what was done, and why.
public struct Decision: Hashable, Sendable {
    public enum Outcome: String, Hashable, Sendable {
        case submitted
        case held
        case rejected
    }

    // Laid out eight-byte values first and the one-byte ones in the optional id's padding: a long
    // backtest keeps one decision a signal, a quarter smaller this way.
    public var timestamp: Timestamp
    public var instrument: InstrumentID
    public var quantity: Quantity
    /// Why: a gate rule, the schedule, an exit rule, a refusal, ...; `reason.code` is its stored form.
    public var reason: DecisionReason
    public var detail: String
    public var orderID: OrderID?
    /// The signal, or `nil` for an explicit order.
    public var action: SignalAction?
    public var outcome: Outcome
    public var side: OrderSide?

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
