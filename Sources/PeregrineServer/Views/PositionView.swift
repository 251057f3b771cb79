/// A position of the account: net quantity from the recorded fills, its average cost, and, where a
/// latest price is known, its market value and unrealized profit.
public struct PositionView: Codable, Sendable, Equatable {
    public var symbol: String
    public var quantity: String
    public var averageCost: String
    public var lastPrice: String?
    public var marketValue: String?
    public var unrealizedPnl: String?
    /// The bots whose fills make up the position.
    public var bots: [String]
}
