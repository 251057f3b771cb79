import PeregrineCore

/// One combination's outcome in a stored sweep: its parameters as `name=value` text and its figures.
public struct SweepRow: Equatable, Sendable {
    public var parameters: String
    public var trades: Int
    public var fills: Int
    public var finalEquity: Money
    public var totalReturn: Double
    public var sharpe: Double
    public var sortino: Double
    public var maxDrawdown: Double
    public var calmar: Double
    public var profitFactor: Double

    public init(parameters: String, trades: Int, fills: Int, finalEquity: Money, totalReturn: Double, sharpe: Double,
                sortino: Double, maxDrawdown: Double, calmar: Double, profitFactor: Double) {
        self.parameters = parameters
        self.trades = trades
        self.fills = fills
        self.finalEquity = finalEquity
        self.totalReturn = totalReturn
        self.sharpe = sharpe
        self.sortino = sortino
        self.maxDrawdown = maxDrawdown
        self.calmar = calmar
        self.profitFactor = profitFactor
    }
}
