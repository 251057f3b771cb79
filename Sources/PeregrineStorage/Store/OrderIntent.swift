import PeregrineCore

/// An order Peregrine means to send, recorded before it is sent. After a crash, an intent still in
/// `intended` may or may not have reached the broker: reconciliation looks it up by client order id
/// instead of sending it again.
public struct OrderIntent: Equatable, Sendable {
    public enum State: String, Sendable, CaseIterable {
        /// Durable, not yet handed to the network.
        case intended
        /// Handed to the network; no answer yet.
        case sent
        /// The broker accepted it and gave its id.
        case acknowledged
        /// The broker refused it; it will not be retried under this client order id.
        case rejected
    }

    public var clientOrderID: String
    public var runID: Int64
    public var symbol: String
    public var side: OrderSide
    public var quantity: Quantity
    public var type: OrderType
    /// The exact request body, so what was sent can be shown and re-checked later.
    public var body: String
    public var state: State
    public var brokerOrderID: String?
    public var status: String?

    public init(clientOrderID: String, runID: Int64, symbol: String, side: OrderSide, quantity: Quantity, type: OrderType,
                body: String, state: State = .intended, brokerOrderID: String? = nil, status: String? = nil) {
        self.clientOrderID = clientOrderID
        self.runID = runID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.type = type
        self.body = body
        self.state = state
        self.brokerOrderID = brokerOrderID
        self.status = status
    }
}
