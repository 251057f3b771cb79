import PeregrineCore

/// Forecasts a return series from its own lags with `BayesianLinearRegression`
/// (features: 1, r[t-1], ..., r[t-lags]). Multi-step forecasts feed the predicted means back as
/// lags and add the one-step predictive variances, a plug-in approximation that ignores the
/// uncertainty of the fed-back lags.
public struct BayesianAutoregression: Sendable {
    public let lags: Int
    public let model: BayesianLinearRegression
    private let recent: [Double]

    public init(returns: [Double], lags: Int, prior: BayesianLinearRegression.Prior? = nil)
        throws(CholeskyFactorization.Failure)
    {
        precondition(lags >= 1 && returns.count > lags, "need more returns than lags")
        var features: [[Double]] = []
        var targets: [Double] = []
        for t in lags..<returns.count {
            features.append([1] + (1...lags).map { returns[t - $0] })
            targets.append(returns[t])
        }
        self.lags = lags
        self.model = try BayesianLinearRegression(features: features, targets: targets,
                                                  prior: prior ?? .weak(dimension: lags + 1))
        self.recent = Array(returns.suffix(lags))
    }

    /// Predictive mean and variance for each of the next `horizon` steps (cumulative variance).
    public func forecast(horizon: Int) -> [(mean: Double, variance: Double)] {
        var history = recent
        var variance = 0.0
        var result: [(Double, Double)] = []
        for _ in 0..<horizon {
            let x = [1] + (1...lags).map { history[history.count - $0] }
            let prediction = model.predict(x)
            variance += prediction.variance
            result.append((prediction.mean, variance))
            history.append(prediction.mean)
        }
        return result
    }
}
