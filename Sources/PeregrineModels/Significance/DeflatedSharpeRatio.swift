#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Sharpe ratio of the best of many trials, deflated for the search (Bailey and López de Prado,
/// "The Deflated Sharpe Ratio", 2014): the probabilistic Sharpe ratio of the best trial against the
/// Sharpe the best of `trials` skill-less trials would show by luck,
/// SR₀ = √V·((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), with V the variance of the trials'
/// Sharpe estimates and γ the Euler–Mascheroni constant. Sharpe ratios are per period.
public struct DeflatedSharpeRatio: Sendable, Hashable {
    /// The best trial's Sharpe per period, its periods, skewness and kurtosis (not excess).
    public var best: ProbabilisticSharpeRatio
    /// How many independent trials the best was chosen from.
    public var trials: Int
    /// The variance of the trials' per-period Sharpe estimates.
    public var sharpeVariance: Double

    public static let eulerMascheroni = 0.577_215_664_901_532_9

    public init(sharpe: Double, periods: Int, skewness: Double, kurtosis: Double, trials: Int, sharpeVariance: Double) {
        self.trials = trials
        self.sharpeVariance = sharpeVariance
        best = ProbabilisticSharpeRatio(sharpe: sharpe, periods: periods, skewness: skewness, kurtosis: kurtosis)
        best.benchmark = expectedMaximumSharpe
    }

    /// A chosen trial's moments against the expected maximum of `trialCount` trials.
    public init(best: ReturnMoments, trialCount: Int, sharpeVariance: Double) {
        self.init(sharpe: best.sharpePerPeriod, periods: best.count, skewness: best.skewness, kurtosis: best.kurtosis,
                  trials: trialCount, sharpeVariance: sharpeVariance)
    }

    /// E[max SR] of `trials` skill-less trials: 0 for a single trial.
    public var expectedMaximumSharpe: Double {
        guard trials > 1, sharpeVariance.isFinite, sharpeVariance > 0 else { return 0 }
        let n = Double(trials)
        let g = Self.eulerMascheroni
        return sharpeVariance.squareRoot()
            * ((1 - g) * NormalDistribution.quantile(1 - 1 / n) + g * NormalDistribution.quantile(1 - 1 / (n * exp(1))))
    }

    /// DSR: the probability that the best trial's true Sharpe exceeds what luck alone would give.
    public var probability: Double { best.probability }

    /// The test statistic of `probability`.
    public var zScore: Double { best.zScore }

    /// The best Sharpe less the expected maximum of luck, per period: near zero when the search found nothing.
    public var excessSharpe: Double { best.sharpe - best.benchmark }

    /// Sample variance (n − 1) of the finite values; 0 with fewer than two.
    public static func sampleVariance(_ values: [Double]) -> Double {
        let finite = values.filter(\.isFinite)
        guard finite.count > 1 else { return 0 }
        let mean = finite.reduce(0, +) / Double(finite.count)
        return finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count - 1)
    }
}
