import PeregrineCore

/// The standard statistics of a backtest, from its equity curve and its trade list.
public struct PerformanceMetrics: Hashable, Sendable {
    public var returns: ReturnStatistics
    public var trades: TradeStatistics
    public var initialEquity: Money
    public var finalEquity: Money
    public var fillCount: Int
    /// Share of periods with any open position.
    public var exposure: Double
    /// Traded notional (both sides) over average equity.
    public var turnover: Double
    /// Longest drawdown in calendar days (peak to recovery, or to the end).
    public var maxDrawdownDays: Double

    /// - Parameters:
    ///   - equity: equity after each period, exact; the period before the first is `initialEquity`.
    ///   - exposedPeriods: periods ending with an open position.
    public init(initialEquity: Money, equity: EquityCurve, trips: [RoundTrip], fillCount: Int,
                tradedNotional: Money, exposedPeriods: Int, periodsPerYear: Double, riskFreeRate: Double) {
        self.initialEquity = initialEquity
        self.finalEquity = equity.last?.equity ?? initialEquity
        self.fillCount = fillCount
        // The returns are worked out from the curve in each of the statistics' two passes, never
        // stored; the first pass also finds the longest time under water and the sum of the values.
        var longestUnderwater: Int64 = 0
        var sum = 0.0
        var firstPass = true
        self.returns = ReturnStatistics(
            count: equity.count, periodsPerYear: periodsPerYear, riskFreeRate: riskFreeRate,
            passes: { each, zeros in
                if firstPass {
                    (longestUnderwater, sum) = equity.forEachReturn(initial: initialEquity, drawdownAndSum: true, each, zeros: zeros)
                    firstPass = false
                } else {
                    _ = equity.forEachReturn(initial: initialEquity, drawdownAndSum: false, each, zeros: zeros)
                }
            },
            series: { equity.periodReturns(initial: initialEquity) })
        self.trades = TradeStatistics(trips)
        self.exposure = equity.isEmpty ? 0 : Double(exposedPeriods) / Double(equity.count)
        let averageEquity = sum / Double(equity.count + 1)
        self.turnover = averageEquity > 0 ? tradedNotional.doubleValue / averageEquity : .nan
        self.maxDrawdownDays = Double(longestUnderwater) / Double(Timestamp.nanosPerDay)
    }
}
