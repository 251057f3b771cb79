import PeregrineCore

/// One combination of a sharded sweep, at its position in the one-machine sweep's order, with every
/// figure the sweep's results.csv and summary.json are made of. Stored so it reads back to the bit.
public struct SweepShardRow: Sendable {
    public var position: Int
    public var shard: Int
    /// The swept values, by parameter name.
    public var parameters: [String: String]
    public var trades: Int
    public var openTrades: Int
    public var fills: Int
    public var finalEquity: Money
    public var totalReturn: Double
    public var sharpe: Double
    public var sortino: Double
    public var maxDrawdown: Double
    public var calmar: Double
    public var profitFactor: Double
    /// The per-block return moments (`ReturnMoments.exactText(of:)`), for the significance figures.
    public var blockMoments: String
    /// Why the combination could not run; nil when it ran.
    public var failure: String?

    public init(position: Int, shard: Int, parameters: [String: String], trades: Int, openTrades: Int, fills: Int, finalEquity: Money,
                totalReturn: Double, sharpe: Double, sortino: Double, maxDrawdown: Double, calmar: Double, profitFactor: Double,
                blockMoments: String, failure: String?) {
        self.position = position
        self.shard = shard
        self.parameters = parameters
        self.trades = trades
        self.openTrades = openTrades
        self.fills = fills
        self.finalEquity = finalEquity
        self.totalReturn = totalReturn
        self.sharpe = sharpe
        self.sortino = sortino
        self.maxDrawdown = maxDrawdown
        self.calmar = calmar
        self.profitFactor = profitFactor
        self.blockMoments = blockMoments
        self.failure = failure
    }
}
