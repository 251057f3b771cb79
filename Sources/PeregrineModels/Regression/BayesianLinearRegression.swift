import PeregrineCore

/// Bayesian linear regression with the conjugate normal-inverse-gamma prior:
/// β | σ² ~ N(μ₀, σ² Λ₀⁻¹), σ² ~ InvGamma(a₀, b₀). The posterior is closed-form
/// (Λₙ = XᵀX + Λ₀, μₙ = Λₙ⁻¹(Λ₀μ₀ + Xᵀy), aₙ = a₀ + n/2,
/// bₙ = b₀ + ½(yᵀy + μ₀ᵀΛ₀μ₀ − μₙᵀΛₙμₙ)), and the predictive for a new x is Student-t with
/// mean xᵀμₙ, scale² (bₙ/aₙ)(1 + xᵀΛₙ⁻¹x) and 2aₙ degrees of freedom.
public struct BayesianLinearRegression: Sendable {
    public struct Prior: Sendable {
        public var mean: [Double]
        public var precision: Matrix
        public var shape: Double
        public var scale: Double

        public init(mean: [Double], precision: Matrix, shape: Double, scale: Double) {
            self.mean = mean
            self.precision = precision
            self.shape = shape
            self.scale = scale
        }

        /// Zero mean, precision λI, and a vague inverse-gamma on the noise.
        public static func weak(dimension: Int, precision: Double = 1e-3, shape: Double = 1, scale: Double = 1e-4) -> Prior {
            Prior(mean: Array(repeating: 0, count: dimension), precision: precision * Matrix.identity(dimension),
                  shape: shape, scale: scale)
        }
    }

    public struct Prediction: Sendable, Equatable {
        public var mean: Double
        /// Variance of the Student-t predictive (scale² ν/(ν−2)), infinite when ν <= 2.
        public var variance: Double
        public var degreesOfFreedom: Double
    }

    public let posteriorMean: [Double]
    public let posteriorPrecision: Matrix
    public let posteriorShape: Double
    public let posteriorScale: Double
    private let posteriorCovarianceFactor: Matrix

    public init(features: [[Double]], targets: [Double], prior: Prior) throws(CholeskyFactorization.Failure) {
        precondition(features.count == targets.count, "one target per feature row")
        let d = prior.mean.count
        var xtx = Matrix(rows: d, columns: d)
        var xty = Array(repeating: 0.0, count: d)
        for (row, y) in zip(features, targets) {
            precondition(row.count == d, "feature rows must have \(d) values")
            for i in 0..<d {
                xty[i] += row[i] * y
                for j in 0..<d { xtx[i, j] += row[i] * row[j] }
            }
        }
        let precision = xtx + prior.precision
        let factor = try CholeskyFactorization(precision)
        let priorTerm = prior.precision.multiply(prior.mean)
        let mean = factor.solve(zip(priorTerm, xty).map { $0 + $1 })
        let yty = targets.reduce(0) { $0 + $1 * $1 }
        posteriorMean = mean
        posteriorPrecision = precision
        posteriorShape = prior.shape + Double(targets.count) / 2
        posteriorScale = prior.scale + 0.5 * (yty + dot(prior.mean, priorTerm) - dot(mean, precision.multiply(mean)))
        posteriorCovarianceFactor = factor.inverse
    }

    /// Posterior mean of the noise variance σ² (bₙ / (aₙ − 1)).
    public var noiseVariance: Double { posteriorScale / max(posteriorShape - 1, 1e-12) }

    public func predict(_ x: [Double]) -> Prediction {
        let mean = dot(x, posteriorMean)
        let leverage = dot(x, posteriorCovarianceFactor.multiply(x))
        let scaleSquared = posteriorScale / posteriorShape * (1 + leverage)
        let nu = 2 * posteriorShape
        return Prediction(mean: mean, variance: nu > 2 ? scaleSquared * nu / (nu - 2) : .infinity, degreesOfFreedom: nu)
    }
}
