import PeregrineStorage

/// A fill, with its exact price, quantity and commission as decimal text. An option fill names its
/// contract (OCC symbol), its quantity in contracts, its price per share and `multiplier` 100.
public struct FillView: Codable, Sendable, Equatable {
    public var id: Int64
    public var runId: Int64
    public var executionId: String
    public var clientOrderId: String
    public var time: String
    public var symbol: String
    public var side: String
    public var quantity: String
    public var price: String
    public var commission: String
    /// Shares per unit of quantity: 1 for stock, 100 for an option contract.
    public var multiplier: Int

    public init(rowID: Int64, runID: Int64, fill: StoredFill) {
        id = rowID
        runId = runID
        executionId = fill.executionID
        clientOrderId = fill.clientOrderID
        time = fill.timestamp.iso8601
        symbol = fill.symbol
        side = fill.side.rawValue
        quantity = fill.quantity.description
        price = fill.price.description
        commission = fill.commission.description
        multiplier = fill.multiplier
    }
}
