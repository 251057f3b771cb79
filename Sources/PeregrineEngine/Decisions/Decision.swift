import PeregrineCore

/// One decision, as the audit trail keeps it: what was asked, what was done, and why.
public struct Decision: Hashable, Sendable {
    public enum Outcome: String, Hashable, Sendable {
        case submitted
        case held
        case rejected
    }

    // Laid out eight-byte values first, then the order id as an index (-1 for none), the reason
    // packed in five bytes and the one-byte values: 64 bytes, where an optional id and the reason
    // as its enum took 80. A long backtest keeps one decision an order.
    public var timestamp: Timestamp
    public var instrument: InstrumentID
    public var quantity: Quantity
    public var detail: String
    /// `orderID`'s value, -1 for none.
    private var orderIndex: Int
    private var packedReasonValue: Int32
    private var packedReasonKind: UInt8
    /// The signal, or `nil` for an explicit order.
    public var action: SignalAction?
    public var outcome: Outcome
    public var side: OrderSide?

    /// Why: a gate rule, the schedule, an exit rule, a refusal, ...; `reason.code` is its stored form.
    public var reason: DecisionReason {
        get { DecisionReason(packedReason) }
        set {
            let packed = newValue.packed
            packedReasonValue = packed.value
            packedReasonKind = packed.kind
        }
    }

    /// The reason as kept, for comparing without unpacking.
    var packedReason: DecisionReason.Packed { DecisionReason.Packed(value: packedReasonValue, kind: packedReasonKind) }

    /// The order the decision submitted, if it did.
    public var orderID: OrderID? {
        get { orderIndex < 0 ? nil : OrderID(orderIndex) }
        set { orderIndex = newValue?.value ?? -1 }
    }

    public init(timestamp: Timestamp, instrument: InstrumentID, action: SignalAction?, outcome: Outcome,
                reason: DecisionReason, detail: String = "", side: OrderSide? = nil, quantity: Quantity = .zero,
                orderID: OrderID? = nil) {
        self.timestamp = timestamp
        self.instrument = instrument
        self.action = action
        self.outcome = outcome
        let packed = reason.packed
        self.packedReasonValue = packed.value
        self.packedReasonKind = packed.kind
        self.detail = detail
        self.side = side
        self.quantity = quantity
        self.orderIndex = orderID?.value ?? -1
    }
}
