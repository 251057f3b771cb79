#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much to believe a Sharpe ratio measured on `periods` returns (Bailey and López de Prado,
/// "The Sharpe Ratio Efficient Frontier", 2012): the probability that the true Sharpe exceeds a
/// benchmark, given the estimate's standard error, which grows with negative skew and fat tails.
/// Every Sharpe here is per period (per bar), never annualised: the formulas count periods.
public struct ProbabilisticSharpeRatio: Sendable, Hashable {
    /// The estimated Sharpe ratio per period.
    public var sharpe: Double
    /// The Sharpe per period to beat (0: any skill at all).
    public var benchmark: Double
    public var periods: Int
    public var skewness: Double
    /// Kurtosis, not excess (3 for normal returns).
    public var kurtosis: Double

    public init(sharpe: Double, benchmark: Double = 0, periods: Int, skewness: Double, kurtosis: Double) {
        self.sharpe = sharpe
        self.benchmark = benchmark
        self.periods = periods
        self.skewness = skewness
        self.kurtosis = kurtosis
    }

    /// The same test on the moments of a return series.
    public init(_ moments: ReturnMoments, benchmark: Double = 0) {
        self.init(sharpe: moments.sharpePerPeriod, benchmark: benchmark, periods: moments.count, skewness: moments.skewness,
                  kurtosis: moments.kurtosis)
    }

    /// 1 − γ₃·SR + (γ₄ − 1)/4·SR²: the variance of the estimate, times T − 1, relative to normal iid
    /// returns' 1 + SR²/2. NaN when the moments make it non-positive.
    public var varianceFactor: Double {
        let factor = 1 - skewness * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe
        return factor > 0 ? factor : .nan
    }

    /// The test statistic (SR − SR*)·√(T − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4·SR²), standard normal
    /// when the true Sharpe equals the benchmark.
    public var zScore: Double {
        guard periods > 1 else { return .nan }
        return (sharpe - benchmark) * Double(periods - 1).squareRoot() / varianceFactor.squareRoot()
    }

    /// PSR: Φ(z), the probability that the true Sharpe exceeds the benchmark.
    public var probability: Double {
        let z = zScore
        return z.isNaN ? .nan : NormalDistribution.cdf(z)
    }

    /// The minimum track record length: the periods needed for the estimate to exceed the benchmark
    /// with `confidence` (1 + factor·(z_α / (SR − SR*))²); infinite when the Sharpe is not above it.
    public func minimumTrackRecord(confidence: Double = 0.95) -> Double {
        guard confidence > 0 && confidence < 1, sharpe.isFinite else { return .nan }
        guard sharpe > benchmark else { return .infinity }
        let z = NormalDistribution.quantile(confidence)
        let ratio = z / (sharpe - benchmark)
        return 1 + varianceFactor * ratio * ratio
    }

    /// "273 bars needed (have 1000)": a minimum track record as text: "never" when the Sharpe is not
    /// above the benchmark, "n/a" when it cannot be computed.
    public static func describeTrackRecord(_ record: Double, periods: Int) -> String {
        if record == .infinity { return "never (Sharpe not above the benchmark)" }
        guard record.isFinite, record < 1e15 else { return record.isFinite ? "more than 10^15 bars" : "n/a" }
        return "\(Int(record.rounded(.up))) bars needed (have \(periods))"
    }
}
