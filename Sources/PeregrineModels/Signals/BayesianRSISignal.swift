import PeregrineCore

/// RSI read as evidence for a reversal. With e = |RSI − 50| / 50, the likelihood of e is normal
/// with mean 0.6 (sd 0.15) when a reversal is coming and mean 0.2 (sd 0.15) when the move continues;
/// with prior P(reversal) = 0.3, Bayes gives
///     P(reversal | e) = 0.3 N(e; 0.6, 0.15²) / (0.3 N(e; 0.6, 0.15²) + 0.7 N(e; 0.2, 0.15²)).
public enum BayesianRSISignal {
    public static let prior = 0.3

    public static func reversalProbability(rsi: Double) -> Double {
        let e = abs(rsi - 50) / 50
        let reversal = NormalDistribution.logDensity(e, mean: 0.6, variance: 0.0225) + Foundationless.log(prior)
        let continuation = NormalDistribution.logDensity(e, mean: 0.2, variance: 0.0225) + Foundationless.log(1 - prior)
        return 1 / (1 + Foundationless.exp(continuation - reversal))
    }
}
