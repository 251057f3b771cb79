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
        var previous = initialEquity.doubleValue
        var sum = previous
        var periodReturns: [Double] = []
        periodReturns.reserveCapacity(equity.count)
        for point in equity {
            let value = point.equity.doubleValue
            periodReturns.append(value / previous - 1)
            previous = value
            sum += value
        }
        self.returns = ReturnStatistics(consumingReturns: &periodReturns, periodsPerYear: periodsPerYear,
                                        riskFreeRate: riskFreeRate)
        self.trades = TradeStatistics(trips)
        self.exposure = equity.isEmpty ? 0 : Double(exposedPeriods) / Double(equity.count)
        let averageEquity = sum / Double(equity.count + 1)
        self.turnover = averageEquity > 0 ? tradedNotional.doubleValue / averageEquity : .nan
        self.maxDrawdownDays = PerformanceMetrics.longestDrawdownDays(equity: equity, initial: initialEquity)
    }

    static func longestDrawdownDays(equity: EquityCurve, initial: Money) -> Double {
        var peak = initial
        var peakTime = equity.first?.timestamp.nanoseconds ?? 0
        var longest: Int64 = 0
        for point in equity {
            if point.equity >= peak {
                peak = point.equity
                peakTime = point.timestamp.nanoseconds
            } else {
                longest = max(longest, point.timestamp.nanoseconds - peakTime)
            }
        }
        return Double(longest) / Double(Timestamp.nanosPerDay)
    }
}
