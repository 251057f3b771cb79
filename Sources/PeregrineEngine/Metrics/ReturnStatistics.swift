import PeregrineModels
import PeregrineRisk
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
    /// The Sharpe ratio per period (per bar, not annualised), which the significance tests take.
    public var sharpePerPeriod: Double
    /// Skewness of the returns (population moments).
    public var skewness: Double
    /// Kurtosis of the returns, not excess (3 for normal returns).
    public var kurtosis: Double

    /// The probabilistic Sharpe ratio against zero, its z statistic and the minimum track record.
    public var probabilisticSharpe: ProbabilisticSharpeRatio {
        ProbabilisticSharpeRatio(sharpe: sharpePerPeriod, periods: periods, skewness: skewness, kurtosis: kurtosis)
    }

    /// - Parameters:
    ///   - returns: simple per-period returns.
    ///   - riskFreeRate: annual rate, applied per period as `riskFreeRate / periodsPerYear`.
    public init(returns: [Double], periodsPerYear: Double, riskFreeRate: Double = 0) {
        self.init(count: returns.count, periodsPerYear: periodsPerYear, riskFreeRate: riskFreeRate,
                  passes: { each, _ in for r in returns { each(r) } }, series: { returns })
    }

    /// The statistics of `count` returns read in two passes and never held: `passes` calls its
    /// first argument with every return in order, the same each time (an equity curve works them
    /// out from its points), or its second with the length of a run of returns of exactly 0;
    /// `series` gives them as an array, asked only when a NaN among them leaves no order to select
    /// the tail by.
    @inline(__always)
    init(count n: Int, periodsPerYear: Double, riskFreeRate: Double,
         passes: (_ each: (Double) -> Void, _ zeros: (Int) -> Void) -> Void, series: () -> [Double]) {
        self.periods = n
        self.periodsPerYear = periodsPerYear
        let perPeriodRiskFree = riskFreeRate / periodsPerYear
        let confidence = 0.95
        let ranks = ValueAtRisk.historicalRanks(count: n, confidence: confidence)
        let tail = LowerTail.Selection(k: ranks.cutoff == ranks.lower ? ranks.lower : -1)
        // Pass one: compounding, drawdown, sum and downside, and the tail's histogram; pass two:
        // squared deviations from the mean (two passes keep the variance accurate without a division
        // per element), and the values of the tail's buckets.
        var growth = 1.0
        var peak = 1.0
        var worst = 0.0
        var underwater = 0
        var longestUnderwater = 0
        var sum = 0.0
        var downside = 0.0
        passes({ r in
            growth *= 1 + r
            if growth >= peak {
                peak = growth
                underwater = 0
            } else {
                underwater += 1
                if underwater > longestUnderwater { longestUnderwater = underwater }
                let drawdown = (growth - peak) / peak
                if drawdown < worst { worst = drawdown }
            }
            sum += r
            let excess = min(r - perPeriodRiskFree, 0)
            downside += excess * excess
            tail.count(r)
        }, { run in
            // As `run` returns of 0 one by one: growth, the sum and the drawdown stay, only the time
            // under water grows; the downside adds its term once a return.
            if growth >= peak {
                underwater = 0
            } else {
                underwater += run
                if underwater > longestUnderwater { longestUnderwater = underwater }
            }
            let excess = min(0 - perPeriodRiskFree, 0)
            if excess != 0 { for _ in 0..<run { downside += excess * excess } }
            tail.count(0, times: run)
        })
        let mean = n > 0 ? sum / Double(n) : 0
        let gathering = tail.beginGathering()
        var squares = 0.0, cubes = 0.0, fourths = 0.0
        passes({ r in
            let d = r - mean, d2 = d * d
            squares += d2
            cubes += d2 * d
            fourths += d2 * d2
            if gathering { tail.gather(r) }
        }, { run in
            let d = 0 - mean, d2 = d * d, d3 = d2 * d, d4 = d2 * d2
            for _ in 0..<run {
                squares += d2
                cubes += d3
                fourths += d4
            }
            if gathering { tail.gather(0, times: run) }
        })
        totalReturn = growth - 1
        maxDrawdown = worst
        maxDrawdownPeriods = longestUnderwater
        annualReturn = n > 0 && growth > 0 ? Self.power(growth, periodsPerYear / Double(n)) - 1 : .nan
        // Subtracting a constant risk-free rate shifts the mean and leaves the deviation unchanged.
        let meanExcess = n > 0 ? mean - perPeriodRiskFree : .nan
        let deviation = n > 1 ? (squares / Double(n - 1)).squareRoot() : .nan
        annualVolatility = deviation * periodsPerYear.squareRoot()
        sharpe = deviation > 0 ? meanExcess / deviation * periodsPerYear.squareRoot() : .nan
        sharpePerPeriod = deviation > 0 ? meanExcess / deviation : .nan
        let m2 = n > 0 ? squares / Double(n) : .nan
        skewness = m2 > 0 ? cubes / Double(n) / (m2 * m2.squareRoot()) : .nan
        kurtosis = m2 > 0 ? fourths / Double(n) / (m2 * m2) : .nan
        let downsideRisk = (downside / Double(max(n, 1))).squareRoot() * periodsPerYear.squareRoot()
        sortino = downsideRisk > 0 ? meanExcess * periodsPerYear / downsideRisk : .nan
        calmar = maxDrawdown < 0 ? annualReturn / -maxDrawdown : .nan

        let estimate: ValueAtRisk.Estimate
        if gathering, let found = tail.tail() {
            estimate = ValueAtRisk.historical(found, count: n, confidence: confidence)
        } else {
            var returns = series()
            estimate = ValueAtRisk.historical(consuming: &returns, confidence: confidence)
        }
        valueAtRisk95 = estimate.valueAtRisk
        conditionalValueAtRisk95 = estimate.conditionalValueAtRisk
    }

    /// Simple returns of a positive price or equity series.
    public static func simpleReturns(_ values: [Double]) -> [Double] {
        guard values.count > 1 else { return [] }
        return (1..<values.count).map { values[$0] / values[$0 - 1] - 1 }
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
