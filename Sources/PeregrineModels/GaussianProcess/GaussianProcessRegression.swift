import PeregrineCore

/// Gaussian-process regression with a squared-exponential (RBF) kernel plus white noise:
/// k(x, x') = σf² exp(−|x − x'|² / 2ℓ²) + σn² δ. Training factors K + jitter·I once (Cholesky);
/// predictions give the mean and the variance of a new observation (noise included).
/// `fit` chooses ℓ, σf², σn² by maximizing the log marginal likelihood.
public struct GaussianProcessRegression: Sendable {
    public struct Hyperparameters: Sendable, Equatable {
        public var lengthScale: Double
        public var signalVariance: Double
        public var noiseVariance: Double

        public init(lengthScale: Double, signalVariance: Double, noiseVariance: Double) {
            self.lengthScale = lengthScale
            self.signalVariance = signalVariance
            self.noiseVariance = noiseVariance
        }
    }

    public let inputs: [[Double]]
    public let hyperparameters: Hyperparameters
    public let jitter: Double
    private let factor: CholeskyFactorization
    private let alpha: [Double]
    /// log p(y | X, θ).
    public let logMarginalLikelihood: Double

    public init(inputs: [[Double]], targets: [Double], hyperparameters: Hyperparameters, jitter: Double = 1e-10)
        throws(CholeskyFactorization.Failure)
    {
        precondition(inputs.count == targets.count && !inputs.isEmpty)
        self.inputs = inputs
        self.hyperparameters = hyperparameters
        self.jitter = jitter
        let n = inputs.count
        var k = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0...i {
                let value = Self.kernel(inputs[i], inputs[j], hyperparameters)
                k[i, j] = value
                k[j, i] = value
            }
            k[i, i] += hyperparameters.noiseVariance + jitter
        }
        factor = try CholeskyFactorization(k)
        alpha = factor.solve(targets)
        logMarginalLikelihood = -0.5 * dot(targets, alpha) - 0.5 * factor.logDeterminant
            - Double(n) / 2 * Foundationless.log(2 * Double.pi)
    }

    static func kernel(_ a: [Double], _ b: [Double], _ h: Hyperparameters) -> Double {
        var distance = 0.0
        for i in a.indices { distance += (a[i] - b[i]) * (a[i] - b[i]) }
        return h.signalVariance * Foundationless.exp(-distance / (2 * h.lengthScale * h.lengthScale))
    }

    public func predict(_ x: [Double]) -> (mean: Double, variance: Double) {
        let kStar = inputs.map { Self.kernel($0, x, hyperparameters) }
        let mean = dot(kStar, alpha)
        let v = factor.solveLower(kStar)
        let variance = hyperparameters.signalVariance + hyperparameters.noiseVariance - dot(v, v)
        return (mean, max(variance, 0))
    }

    /// Maximizes the log marginal likelihood over log ℓ, log σf², log σn², from `initial` and from
    /// `restarts` seeded random starts; returns the best model.
    public static func fit(inputs: [[Double]], targets: [Double], initial: Hyperparameters, restarts: Int = 3,
                           seed: UInt64 = 0, jitter: Double = 1e-10) throws(CholeskyFactorization.Failure)
        -> GaussianProcessRegression
    {
        func negative(_ logs: [Double]) -> Double {
            let h = Hyperparameters(lengthScale: Foundationless.exp(logs[0]), signalVariance: Foundationless.exp(logs[1]),
                                    noiseVariance: Foundationless.exp(logs[2]))
            guard let model = try? GaussianProcessRegression(inputs: inputs, targets: targets, hyperparameters: h,
                                                             jitter: jitter) else { return .infinity }
            return -model.logMarginalLikelihood
        }
        var rng = SeededGenerator(seed: seed)
        var starts = [[Foundationless.log(initial.lengthScale), Foundationless.log(initial.signalVariance),
                       Foundationless.log(initial.noiseVariance)]]
        for _ in 0..<restarts {
            starts.append(starts[0].map { $0 + 2 * rng.nextNormal() })
        }
        var best: NelderMead.Result?
        for start in starts {
            let result = NelderMead.minimize(start: start, step: 1, _: negative)
            if best == nil || result.value < best!.value { best = result }
        }
        let logs = best!.point
        return try GaussianProcessRegression(
            inputs: inputs, targets: targets,
            hyperparameters: Hyperparameters(lengthScale: Foundationless.exp(logs[0]), signalVariance: Foundationless.exp(logs[1]),
                                             noiseVariance: Foundationless.exp(logs[2])),
            jitter: jitter)
    }
}
