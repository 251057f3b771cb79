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
        var scratch = returns
        self.init(consumingReturns: &scratch, periodsPerYear: periodsPerYear, riskFreeRate: riskFreeRate)
    }

    /// The same, reordering `returns` in place (for callers that no longer need their order).
    public init(consumingReturns returns: inout [Double], periodsPerYear: Double, riskFreeRate: Double = 0) {
        let n = returns.count
        self.periods = n
        self.periodsPerYear = periodsPerYear
        let perPeriodRiskFree = riskFreeRate / periodsPerYear
        // One pass: compounding and drawdown, Welford's mean and variance, downside deviation.
        var growth = 1.0
        var peak = 1.0
        var worst = 0.0
        var underwater = 0
        var longestUnderwater = 0
        var mean = 0.0
        var squares = 0.0
        var downside = 0.0
        for (index, r) in returns.enumerated() {
            growth *= 1 + r
            if growth >= peak {
                peak = growth
                underwater = 0
            } else {
                underwater += 1
                longestUnderwater = max(longestUnderwater, underwater)
                worst = min(worst, (growth - peak) / peak)
            }
            let delta = r - mean
            mean += delta / Double(index + 1)
            squares += delta * (r - mean)
            let excess = min(r - perPeriodRiskFree, 0)
            downside += excess * excess
        }
        totalReturn = growth - 1
        maxDrawdown = worst
        maxDrawdownPeriods = longestUnderwater
        annualReturn = n > 0 && growth > 0 ? Self.power(growth, periodsPerYear / Double(n)) - 1 : .nan
        // Subtracting a constant risk-free rate shifts the mean and leaves the deviation unchanged.
        let meanExcess = n > 0 ? mean - perPeriodRiskFree : .nan
        let deviation = n > 1 ? (squares / Double(n - 1)).squareRoot() : .nan
        annualVolatility = deviation * periodsPerYear.squareRoot()
        sharpe = deviation > 0 ? meanExcess / deviation * periodsPerYear.squareRoot() : .nan
        let downsideRisk = (downside / Double(max(n, 1))).squareRoot() * periodsPerYear.squareRoot()
        sortino = downsideRisk > 0 ? meanExcess * periodsPerYear / downsideRisk : .nan
        calmar = maxDrawdown < 0 ? annualReturn / -maxDrawdown : .nan

        // Only the worst 5% matter: select them instead of sorting everything.
        if n > 0 {
            let position = 0.05 * Double(n - 1)
            let lower = Int(position)
            let tail = Self.selectSmallest(&returns, count: min(n, lower + 2))
            let upper = min(lower + 1, n - 1)
            valueAtRisk95 = tail[lower] + (tail[upper] - tail[lower]) * (position - Double(lower))
            let cutoff = Int(Double(n - 1) * 0.05)
            conditionalValueAtRisk95 = tail[0...cutoff].reduce(0, +) / Double(cutoff + 1)
        } else {
            valueAtRisk95 = .nan
            conditionalValueAtRisk95 = .nan
        }
    }

    /// Simple returns of a positive price or equity series.
    public static func simpleReturns(_ values: [Double]) -> [Double] {
        guard values.count > 1 else { return [] }
        return (1..<values.count).map { values[$0] / values[$0 - 1] - 1 }
    }

    /// The `count` smallest values in ascending order (quickselect, then a sort of the small part).
    static func selectSmallest(_ values: inout [Double], count: Int) -> [Double] {
        var low = 0
        var high = values.count - 1
        let k = count - 1
        while low < high {
            let pivot = values[(low + high) / 2]
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return Array(values[0..<count]).sorted()
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
