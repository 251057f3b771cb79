/// RiskMetrics' exponentially weighted volatility: the next bar's variance s[t] = lambda s[t-1] +
/// (1 - lambda) r[t]^2 (zero mean), seeded with the first squared return. Recent moves weigh more,
/// so it follows a change of regime within weeks; lambda 0.94 is RiskMetrics' daily choice.
public enum EWMAVolatility {
    /// The variance forecast for the bar after the last close (per bar, not annualized).
    public static func nextVariance(closes: [Double], lambda: Double = 0.94) throws(VolatilityInputError) -> Double {
        guard lambda > 0 && lambda < 1 else { throw VolatilityInputError("lambda \(lambda): use a number between 0 and 1") }
        let returns = try LogReturns.of(closes)
        var variance = returns[0] * returns[0]
        for r in returns.dropFirst() { variance = lambda * variance + (1 - lambda) * r * r }
        return variance
    }
}
