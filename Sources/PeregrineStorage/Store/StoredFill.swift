import PeregrineCore

/// A fill as the store keeps it: keyed by the broker's execution id so that a fill replayed after a
/// reconnect or restart is recorded once. An option fill names its contract (OCC symbol) and holds
/// contracts at the price per share, with `multiplier` 100: its cash is price x quantity x multiplier.
public struct StoredFill: Equatable, Sendable {
    public var executionID: String
    public var clientOrderID: String
    public var timestamp: Timestamp
    public var symbol: String
    public var side: OrderSide
    public var quantity: Quantity
    public var price: Price
    public var commission: Money
    /// Shares per unit of `quantity`: 1 for stock, 100 for an option contract.
    public var multiplier: Int

    public init(executionID: String, clientOrderID: String, timestamp: Timestamp, symbol: String, side: OrderSide,
                quantity: Quantity, price: Price, commission: Money = .zero, multiplier: Int = 1) {
        self.multiplier = multiplier
        self.executionID = executionID
        self.clientOrderID = clientOrderID
        self.timestamp = timestamp
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.price = price
        self.commission = commission
    }
}
