/// An order as the venue holds it: the request, its status, and what has filled so far.
/// Status changes go through `transition(to:at:)`, which enforces `OrderStatus`'s state machine.
///
/// Fields are laid out widest first, the one-byte ones last, the limit and stop prices without
/// optionals' padding (whether each is set in one byte): a long backtest keeps every order, and
/// this saves a quarter of each (208 bytes to 160).
public struct Order: Hashable, Sendable, CustomStringConvertible {
    /// Sum of fill price times fill quantity, exact; divide by `filledQuantity` for the average.
    public private(set) var filledNotional: Money = .zero
    public var quantity: Quantity
    public private(set) var filledQuantity: Quantity = .zero
    /// `clientOrderID` as kept: a generated id's digits are written only when read.
    public let deferredClientOrderID: DeferredClientOrderID
    /// The durable name the client knows the order by, such as `pg-17`.
    public var clientOrderID: String { deferredClientOrderID.text }
    public let id: OrderID
    public var instrument: InstrumentID
    public let submittedAt: Timestamp
    public private(set) var updatedAt: Timestamp
    /// Why the order was rejected, canceled or expired, when it was.
    public var reason: String?
    /// The entry order of a bracket/OTO leg, or the first leg of an OCO pair.
    public var parentID: OrderID? {
        get { parentIndex < 0 ? nil : OrderID(parentIndex) }
        set { parentIndex = newValue?.value ?? -1 }
    }
    /// `parentID`'s value, -1 for none: eight bytes where an optional id takes sixteen.
    private var parentIndex: Int
    private var limitUnits: Int64 = 0
    private var stopUnits: Int64 = 0
    public var trail: TrailingOffset?
    public var side: OrderSide
    public var type: OrderType
    public var timeInForce: TimeInForce
    public var orderClass: OrderClass
    /// Leg role within a group.
    public var legRole: LegRole
    public private(set) var status: OrderStatus
    /// Bit 0: a limit price is set; bit 1: a stop price is set.
    private var pricesSet: UInt8 = 0

    public var limitPrice: Price? {
        get { pricesSet & 1 != 0 ? Price(units: limitUnits) : nil }
        set {
            limitUnits = newValue?.units ?? 0
            pricesSet = newValue == nil ? pricesSet & ~1 : pricesSet | 1
        }
    }

    public var stopPrice: Price? {
        get { pricesSet & 2 != 0 ? Price(units: stopUnits) : nil }
        set {
            stopUnits = newValue?.units ?? 0
            pricesSet = newValue == nil ? pricesSet & ~2 : pricesSet | 2
        }
    }

    /// The part an order plays in a bracket, OCO or OTO group.
    public enum LegRole: String, Hashable, Sendable {
        case standalone
        case entry
        case takeProfit = "take_profit"
        case stopLoss = "stop_loss"
    }

    public init(id: OrderID, clientOrderID: String, request: borrowing OrderRequest, submittedAt: Timestamp,
                parentID: OrderID? = nil, legRole: LegRole = .standalone) {
        self.init(id: id, clientOrderID: DeferredClientOrderID(clientOrderID), request: request, submittedAt: submittedAt,
                  parentID: parentID, legRole: legRole)
    }

    /// An order whose client order id is kept as `clientOrderID` (a venue's generated ids unwritten).
    public init(id: OrderID, clientOrderID: DeferredClientOrderID, request: borrowing OrderRequest, submittedAt: Timestamp,
                parentID: OrderID? = nil, legRole: LegRole = .standalone) {
        self.id = id
        self.deferredClientOrderID = clientOrderID
        self.instrument = request.instrument
        self.side = request.side
        self.quantity = request.quantity
        self.type = request.type
        self.timeInForce = request.timeInForce
        self.trail = request.trail
        self.orderClass = request.orderClass
        self.parentIndex = parentID?.value ?? -1
        self.legRole = legRole
        self.status = .new
        self.submittedAt = submittedAt
        self.updatedAt = submittedAt
        let limit = request.limitPrice, stop = request.stopPrice
        self.limitUnits = limit?.units ?? 0
        self.stopUnits = stop?.units ?? 0
        self.pricesSet = (limit == nil ? 0 : 1) | (stop == nil ? 0 : 2)
    }

    @inlinable public var remainingQuantity: Quantity { quantity - filledQuantity }

    /// Average fill price, rounded to the nano grid; the exact figure is `filledNotional`.
    public var averageFillPrice: Price? {
        guard filledQuantity.units > 0 else { return nil }
        return Price(units: Int64(filledNotional.units / Int128(filledQuantity.units)))
    }

    /// Moves to `next` if the state machine allows it.
    public mutating func transition(to next: OrderStatus, at time: Timestamp) throws(IllegalOrderTransition) {
        guard status.canTransition(to: next) else {
            throw IllegalOrderTransition(orderID: id, from: status, to: next)
        }
        status = next
        updatedAt = time
    }

    /// Records a fill and moves to partially filled or filled.
    public mutating func applyFill(quantity fillQuantity: Quantity, price: Price, at time: Timestamp)
        throws(IllegalOrderTransition)
    {
        precondition(fillQuantity.units > 0 && fillQuantity <= remainingQuantity, "fill exceeds the order")
        let next: OrderStatus = fillQuantity == remainingQuantity ? .filled : .partiallyFilled
        try transition(to: next, at: time)
        filledQuantity += fillQuantity
        filledNotional += price * fillQuantity
    }

    /// Shrinks the order (an OCO sibling after its partner partly filled); never below what filled.
    public mutating func reduceQuantity(to newQuantity: Quantity) {
        precondition(newQuantity >= filledQuantity)
        quantity = newQuantity
    }

    public var description: String {
        var text = "\(clientOrderID) \(side) \(quantity) \(type)"
        if let limitPrice { text += " limit \(limitPrice)" }
        if let stopPrice { text += " stop \(stopPrice)" }
        if let trail { text += " \(trail)" }
        return text + " \(timeInForce) [\(status)]"
    }
}
