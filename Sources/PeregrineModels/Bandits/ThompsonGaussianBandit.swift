import PeregrineCore

/// Thompson sampling for real-valued rewards (returns): each arm's mean reward has a Normal-Gamma
/// posterior (unknown mean and precision, conjugate updates); each round plays the arm whose
/// sampled mean is highest. Codable.
public struct ThompsonGaussianBandit: Sendable, Codable, Equatable {
    public var means: [Double]
    public var counts: [Double]
    public var shapes: [Double]
    public var rates: [Double]

    /// - Parameter priorRate: the prior's rate; about the expected reward variance.
    public init(arms: Int, priorRate: Double = 1) {
        precondition(arms >= 1 && priorRate > 0)
        means = Array(repeating: 0, count: arms)
        counts = Array(repeating: 1e-3, count: arms)
        shapes = Array(repeating: 1, count: arms)
        rates = Array(repeating: priorRate, count: arms)
    }

    public func select(_ generator: inout SeededGenerator) -> Int {
        var best = 0
        var bestSample = -Double.infinity
        for arm in means.indices {
            let precision = BanditSampling.gamma(shape: shapes[arm], generator: &generator) / rates[arm]
            let sample = means[arm] + generator.nextNormal() / (counts[arm] * precision).squareRoot()
            if sample > bestSample {
                bestSample = sample
                best = arm
            }
        }
        return best
    }

    public mutating func update(arm: Int, reward: Double) {
        let n = counts[arm]
        rates[arm] += n * (reward - means[arm]) * (reward - means[arm]) / (2 * (n + 1))
        means[arm] = (n * means[arm] + reward) / (n + 1)
        counts[arm] = n + 1
        shapes[arm] += 0.5
    }
}
