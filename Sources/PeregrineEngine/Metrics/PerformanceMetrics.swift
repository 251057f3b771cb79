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
    ///   - timestamps: the time of each equity point.
    ///   - exposedPeriods: periods ending with an open position.
    public init(initialEquity: Money, equity: [Money], timestamps: [Int64], trips: [RoundTrip], fillCount: Int,
                tradedNotional: Money, exposedPeriods: Int, periodsPerYear: Double, riskFreeRate: Double) {
        self.initialEquity = initialEquity
        self.finalEquity = equity.last ?? initialEquity
        self.fillCount = fillCount
        var values = [initialEquity.doubleValue]
        values.reserveCapacity(equity.count + 1)
        for point in equity { values.append(point.doubleValue) }
        self.returns = ReturnStatistics(returns: ReturnStatistics.simpleReturns(values), periodsPerYear: periodsPerYear,
                                        riskFreeRate: riskFreeRate)
        self.trades = TradeStatistics(trips)
        self.exposure = equity.isEmpty ? 0 : Double(exposedPeriods) / Double(equity.count)
        let averageEquity = values.reduce(0, +) / Double(values.count)
        self.turnover = averageEquity > 0 ? tradedNotional.doubleValue / averageEquity : .nan
        self.maxDrawdownDays = PerformanceMetrics.longestDrawdownDays(equity: equity, timestamps: timestamps,
                                                                      initial: initialEquity)
    }

    static func longestDrawdownDays(equity: [Money], timestamps: [Int64], initial: Money) -> Double {
        var peak = initial
        var peakTime = timestamps.first ?? 0
        var longest: Int64 = 0
        for (index, value) in equity.enumerated() {
            if value >= peak {
                peak = value
                peakTime = timestamps[index]
            } else {
                longest = max(longest, timestamps[index] - peakTime)
            }
        }
        return Double(longest) / Double(Timestamp.nanosPerDay)
    }
}
