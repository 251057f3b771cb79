import PeregrineCore
import PeregrineStorage

/// An order of the store: what was intended, how far it got, what the broker last said.
public struct OrderView: Codable, Sendable, Equatable {
    public var id: Int64
    public var runId: Int64
    public var clientOrderId: String
    public var brokerOrderId: String?
    public var symbol: String
    public var side: String
    public var quantity: String
    public var type: String
    public var state: String
    public var status: String?
    public var updated: String

    public init(rowID: Int64, updated: Timestamp, intent: OrderIntent) {
        id = rowID
        runId = intent.runID
        clientOrderId = intent.clientOrderID
        brokerOrderId = intent.brokerOrderID
        symbol = intent.symbol
        side = intent.side.rawValue
        quantity = intent.quantity.description
        type = intent.type.rawValue
        state = intent.state.rawValue
        status = intent.status
        self.updated = updated.iso8601
    }
}
