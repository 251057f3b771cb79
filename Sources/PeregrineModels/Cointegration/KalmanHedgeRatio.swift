/// A hedge ratio and intercept that drift, estimated bar by bar by a Kalman filter, for pairs whose
/// relationship moves too much for one static regression.
///
/// State θₜ = (βₜ, αₜ) follows a random walk, θₜ = θₜ₋₁ + wₜ with wₜ ~ N(0, δ/(1-δ) I); the observation
/// is yₜ = βₜ xₜ + αₜ + vₜ with vₜ ~ N(0, R). δ sets how fast the ratio may move (δ → 0 approaches
/// recursive least squares; the default 1e-4 with R = 1e-3 follows Chan, "Algorithmic Trading", 2013,
/// ch. 3); the prior is θ₀ = 0 with covariance `initialVariance` · I, vague enough to be forgotten in a
/// few bars. Each update uses only bars up to its own, so it is safe in a backtest.
public struct KalmanHedgeRatio: Sendable {
    /// One bar's estimate.
    public struct Estimate: Sendable, Equatable {
        /// βₜ after this bar.
        public var ratio: Double
        /// αₜ after this bar.
        public var intercept: Double
        /// yₜ minus its forecast from the previous bar's state: the spread's innovation.
        public var forecastError: Double
        /// The forecast's variance, so forecastError / √variance is a z-score.
        public var forecastVariance: Double
    }

    public let delta: Double
    public let observationVariance: Double
    private var state: (ratio: Double, intercept: Double) = (0, 0)
    /// Covariance [[p00, p01], [p01, p11]].
    private var p00: Double, p01: Double, p11: Double

    public init(delta: Double = 1e-4, observationVariance: Double = 1e-3, initialVariance: Double = 1) {
        precondition(delta > 0 && delta < 1, "delta must be in (0, 1)")
        precondition(observationVariance > 0 && initialVariance > 0, "variances must be positive")
        self.delta = delta
        self.observationVariance = observationVariance
        p00 = initialVariance
        p01 = 0
        p11 = initialVariance
    }

    /// Folds in one bar (y, x) and returns the updated estimate.
    public mutating func update(y: Double, x: Double) -> Estimate {
        let drift = delta / (1 - delta)
        let a = p00 + drift, b = p01, c = p11 + drift
        let forecast = state.ratio * x + state.intercept
        let error = y - forecast
        // H = [x, 1]; S = H P Hᵀ + R; K = P Hᵀ / S.
        let ph0 = a * x + b
        let ph1 = b * x + c
        let variance = x * ph0 + ph1 + observationVariance
        let k0 = ph0 / variance, k1 = ph1 / variance
        state = (state.ratio + k0 * error, state.intercept + k1 * error)
        // P - K H P, with H P = (ph0, ph1)ᵀ by symmetry.
        p00 = a - k0 * ph0
        p01 = b - k0 * ph1
        p11 = c - k1 * ph1
        return Estimate(ratio: state.ratio, intercept: state.intercept, forecastError: error, forecastVariance: variance)
    }

    /// Runs the filter over aligned series.
    public static func filter(y: [Double], x: [Double], delta: Double = 1e-4, observationVariance: Double = 1e-3,
                              initialVariance: Double = 1) throws(StatisticalInputError) -> [Estimate] {
        guard y.count == x.count else { throw .mismatchedLengths([y.count, x.count]) }
        try StatisticalInputError.check(y, minimum: 1)
        try StatisticalInputError.check(x, minimum: 1)
        var filter = KalmanHedgeRatio(delta: delta, observationVariance: observationVariance, initialVariance: initialVariance)
        return zip(y, x).map { filter.update(y: $0, x: $1) }
    }
}
