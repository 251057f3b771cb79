import PeregrineCore

/// What a backtest produced: the books, every order, fill and decision, the equity curve and the
/// statistics. Open positions are marked at their last close, not closed.
public struct BacktestResult: Sendable {
    public var instruments: [Instrument]
    public var bars: Int
    public var account: Account
    public var finalMarks: [Price]
    public var orders: [Order]
    public var fills: [Fill]
    public var roundTrips: [RoundTrip]
    public var openTrips: [RoundTrip]
    public var equity: EquityCurve
    public var decisions: [Decision]
    public var decisionCounts: [String: Int]
    public var metrics: PerformanceMetrics
    public var periodsPerYear: Double
    /// Why the run stopped early because its equity left the books' range (nil: it did not). A result
    /// with this set is refused by the commands, never reported as if it were whole.
    public var rangeFailure: String? = nil
    /// Splits and dividends applied to the books (raw prices with `corporateActions` configured).
    public var corporateActions: [AppliedCorporateAction] = []
    /// Per instrument, the time steps a held position had no bar and was marked at an older close.
    public var staleMarkSteps: [Int] = []
    /// The option contracts a strategy traded (nil when it traded none): positions, premiums,
    /// orders, and the exercises, assignments and expiries at settlement. Equity includes them.
    public var options: OptionBook? = nil

    public var finalEquity: Money { metrics.finalEquity }
}
