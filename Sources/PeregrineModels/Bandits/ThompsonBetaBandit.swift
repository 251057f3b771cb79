import PeregrineCore

/// Thompson sampling for win/loss rewards: each arm's win probability has a Beta(α, β) posterior
/// (starting at Beta(1, 1)); each round plays the arm whose sampled probability is highest. Codable.
public struct ThompsonBetaBandit: Sendable, Codable, Equatable {
    public var alpha: [Double]
    public var beta: [Double]

    public init(arms: Int) {
        precondition(arms >= 1)
        alpha = Array(repeating: 1, count: arms)
        beta = Array(repeating: 1, count: arms)
    }

    public func select(_ generator: inout SeededGenerator) -> Int {
        var best = 0
        var bestSample = -1.0
        for arm in alpha.indices {
            let x = BanditSampling.gamma(shape: alpha[arm], generator: &generator)
            let y = BanditSampling.gamma(shape: beta[arm], generator: &generator)
            let sample = x / (x + y)
            if sample > bestSample {
                bestSample = sample
                best = arm
            }
        }
        return best
    }

    /// A win counts toward α, a loss toward β.
    public mutating func update(arm: Int, won: Bool) {
        if won { alpha[arm] += 1 } else { beta[arm] += 1 }
    }
}
