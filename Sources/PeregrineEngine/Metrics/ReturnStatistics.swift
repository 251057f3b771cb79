/// Return-series statistics with the definitions of empyrical (used by pyfolio and quantstats), so
/// figures can be checked against it: sample standard deviation (n - 1), CAGR over
/// `count / periodsPerYear` years, drawdown from a starting value, historical VaR as the linearly
/// interpolated percentile, CVaR as the mean of the worst `floor((n - 1) * 5%) + 1` returns.
public struct ReturnStatistics: Hashable, Sendable, Codable {
    public var periods: Int
    public var periodsPerYear: Double
    public var totalReturn: Double
    public var annualReturn: Double
    public var annualVolatility: Double
    public var sharpe: Double
    public var sortino: Double
    public var maxDrawdown: Double
    /// Longest stretch, in periods, spent below a previous peak (to recovery or the end).
    public var maxDrawdownPeriods: Int
    public var calmar: Double
    public var valueAtRisk95: Double
    public var conditionalValueAtRisk95: Double

    /// - Parameters:
    ///   - returns: simple per-period returns.
    ///   - riskFreeRate: annual rate, applied per period as `riskFreeRate / periodsPerYear`.
    public init(returns: [Double], periodsPerYear: Double, riskFreeRate: Double = 0) {
        let n = returns.count
        self.periods = n
        self.periodsPerYear = periodsPerYear
        var growth = 1.0
        var peak = 1.0
        var worst = 0.0
        var underwater = 0
        var longestUnderwater = 0
        for r in returns {
            growth *= 1 + r
            if growth >= peak {
                peak = growth
                underwater = 0
            } else {
                underwater += 1
                longestUnderwater = max(longestUnderwater, underwater)
            }
            worst = min(worst, (growth - peak) / peak)
        }
        totalReturn = growth - 1
        maxDrawdown = worst
        maxDrawdownPeriods = longestUnderwater
        annualReturn = n > 0 && growth > 0 ? Self.power(growth, periodsPerYear / Double(n)) - 1 : .nan

        let perPeriodRiskFree = riskFreeRate / periodsPerYear
        let excess = returns.map { $0 - perPeriodRiskFree }
        let meanExcess = Self.mean(excess)
        let deviationExcess = Self.sampleStandardDeviation(excess)
        annualVolatility = Self.sampleStandardDeviation(returns) * periodsPerYear.squareRoot()
        sharpe = deviationExcess > 0 ? meanExcess / deviationExcess * periodsPerYear.squareRoot() : .nan
        let downside = excess.reduce(0.0) { $0 + min($1, 0) * min($1, 0) } / Double(max(n, 1))
        let downsideRisk = downside.squareRoot() * periodsPerYear.squareRoot()
        sortino = downsideRisk > 0 ? meanExcess * periodsPerYear / downsideRisk : .nan
        calmar = maxDrawdown < 0 ? annualReturn / -maxDrawdown : .nan

        let sorted = returns.sorted()
        valueAtRisk95 = Self.percentile(sorted, 0.05)
        if n > 0 {
            let cutoff = Int(Double(n - 1) * 0.05)
            conditionalValueAtRisk95 = Self.mean(Array(sorted[0...cutoff]))
        } else {
            conditionalValueAtRisk95 = .nan
        }
    }

    /// Simple returns of a positive price or equity series.
    public static func simpleReturns(_ values: [Double]) -> [Double] {
        guard values.count > 1 else { return [] }
        return (1..<values.count).map { values[$0] / values[$0 - 1] - 1 }
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    static func sampleStandardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return .nan }
        let m = mean(values)
        let squares = values.reduce(0.0) { $0 + ($1 - m) * ($1 - m) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// Linear-interpolation percentile of sorted data (numpy's default), `q` in [0, 1].
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position)
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }

    static func power(_ base: Double, _ exponent: Double) -> Double {
        pow(base, exponent)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
