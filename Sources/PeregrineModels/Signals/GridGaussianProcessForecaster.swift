import PeregrineCore

/// A Gaussian-process forecaster of the next `horizon` returns from the last `window` returns, on
/// a fixed time grid. With the inputs always 1...window, a fixed length scale, and signal and noise
/// variances as fixed shares of the window's sample variance, the kernel matrix only changes by
/// that variance, so the predictive weights K⁻¹k* and variance factors are computed once (one
/// Cholesky at construction) and each forecast is a dot product: O(window) per bar.
public struct GridGaussianProcessForecaster: Sendable {
    public let window: Int
    public let horizon: Int
    /// Per step ahead: weights on the (demeaned) window, and predictive variance per unit variance.
    private let weights: [[Double]]
    private let varianceFactors: [Double]

    /// - Parameters:
    ///   - lengthScale: in bars.
    ///   - signalShare: share of the return variance the smooth component explains (the rest is noise).
    public init(window: Int = 20, horizon: Int = 5, lengthScale: Double = 3, signalShare: Double = 0.1) throws(CholeskyFactorization.Failure) {
        precondition(window >= 2 && horizon >= 1 && signalShare > 0 && signalShare < 1)
        self.window = window
        self.horizon = horizon
        let h = GaussianProcessRegression.Hyperparameters(lengthScale: lengthScale, signalVariance: signalShare,
                                                         noiseVariance: 1 - signalShare)
        let inputs = (0..<window).map { [Double($0)] }
        var k = Matrix(rows: window, columns: window)
        for i in 0..<window {
            for j in 0..<window { k[i, j] = GaussianProcessRegression.kernel(inputs[i], inputs[j], h) }
            k[i, i] += h.noiseVariance
        }
        let factor = try CholeskyFactorization(k)
        var weights: [[Double]] = []
        var factors: [Double] = []
        for step in 1...horizon {
            let kStar = inputs.map { GaussianProcessRegression.kernel($0, [Double(window - 1 + step)], h) }
            weights.append(factor.solve(kStar))
            let v = factor.solveLower(kStar)
            factors.append(h.signalVariance + h.noiseVariance - dot(v, v))
        }
        self.weights = weights
        self.varianceFactors = factors
    }

    /// Mean and variance of each of the next `horizon` returns given the last `window` returns.
    public func forecast(_ recent: [Double]) -> [(mean: Double, variance: Double)] {
        precondition(recent.count == window)
        let mean = recent.reduce(0, +) / Double(window)
        let variance = max(recent.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(window - 1), 1e-16)
        return (0..<horizon).map { step in
            let w = weights[step]
            var total = 0.0
            for i in 0..<window { total += w[i] * (recent[i] - mean) }
            return (mean + total, variance * varianceFactors[step])
        }
    }
}
