/// One execution: part or all of an order traded at one price.
///
/// Fields are laid out widest first (the money, then eight-byte values, then the side): a long
/// backtest keeps one fill per execution, and the order saves a seventh of each.
public struct Fill: Hashable, Sendable, CustomStringConvertible {
    public var commission: Money
    /// Positive; the side gives the direction.
    public var quantity: Quantity
    public var orderID: OrderID
    /// The client order id of the order that filled.
    public var clientOrderID: String {
        get { deferredClientOrderID.text }
        set { deferredClientOrderID = DeferredClientOrderID(newValue) }
    }
    /// `clientOrderID` as kept: a generated id's digits are written only when read.
    public var deferredClientOrderID: DeferredClientOrderID
    public var instrument: InstrumentID
    public var price: Price
    public var timestamp: Timestamp
    public var side: OrderSide

    public init(orderID: OrderID, clientOrderID: String, instrument: InstrumentID, side: OrderSide,
                quantity: Quantity, price: Price, commission: Money, timestamp: Timestamp) {
        self.init(orderID: orderID, clientOrderID: DeferredClientOrderID(clientOrderID), instrument: instrument, side: side,
                  quantity: quantity, price: price, commission: commission, timestamp: timestamp)
    }

    /// A fill whose client order id is kept as given (a venue's generated id with its digits unwritten).
    @inlinable
    public init(orderID: OrderID, clientOrderID: DeferredClientOrderID, instrument: InstrumentID, side: OrderSide,
                quantity: Quantity, price: Price, commission: Money, timestamp: Timestamp) {
        self.orderID = orderID
        self.deferredClientOrderID = clientOrderID
        self.instrument = instrument
        self.side = side
        self.quantity = quantity
        self.price = price
        self.commission = commission
        self.timestamp = timestamp
    }

    /// Quantity with the side's sign: positive for a buy.
    @inlinable public var signedQuantity: Quantity { side == .buy ? quantity : -quantity }

    /// Exact traded value (price times quantity, unsigned).
    @inlinable public var notional: Money { price * quantity }

    public var description: String {
        "\(timestamp.compactDescription) \(side) \(quantity) @ \(price) fee \(commission.formatted(places: 4))"
    }
}
