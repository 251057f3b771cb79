import PeregrineCore

/// The bandit behind a strategy that learns from its own round trips: Thompson sampling, UCB1 or
/// epsilon-greedy, rewarded by each trade's win (1) or loss (0), or by its return. Thompson sampling
/// takes a Beta posterior for wins and a Normal-Gamma one for returns. Codable: saved state resumes learning.
public struct TradeBandit: Sendable, Codable, Equatable {
    public enum Algorithm: String, Sendable, Codable, CaseIterable {
        case thompson
        case ucb1
        case epsilonGreedy = "epsilon-greedy"
    }

    public enum Reward: String, Sendable, Codable, CaseIterable {
        /// 1 for a winning round trip, 0 for a losing one.
        case win
        /// The round trip's net return on its entry cost.
        case `return`
    }

    public enum State: Sendable, Codable, Equatable {
        case thompsonBeta(ThompsonBetaBandit)
        case thompsonGaussian(ThompsonGaussianBandit)
        case ucb1(UCB1Bandit)
        case epsilonGreedy(EpsilonGreedyBandit)
    }

    public let algorithm: Algorithm
    public let reward: Reward
    public var state: State

    /// - Parameter exploration: epsilon-greedy's c in ε_t = min(1, c / t).
    public init(algorithm: Algorithm, reward: Reward, arms: Int, exploration: Double = 5) {
        self.algorithm = algorithm
        self.reward = reward
        switch (algorithm, reward) {
        case (.thompson, .win): state = .thompsonBeta(ThompsonBetaBandit(arms: arms))
        // The prior rate is about the variance of a trade's return (a few percent squared).
        case (.thompson, .return): state = .thompsonGaussian(ThompsonGaussianBandit(arms: arms, priorRate: 0.01))
        case (.ucb1, _): state = .ucb1(UCB1Bandit(arms: arms))
        case (.epsilonGreedy, _): state = .epsilonGreedy(EpsilonGreedyBandit(arms: arms, exploration: exploration))
        }
    }

    public var arms: Int {
        switch state {
        case .thompsonBeta(let b): return b.alpha.count
        case .thompsonGaussian(let b): return b.means.count
        case .ucb1(let b): return b.counts.count
        case .epsilonGreedy(let b): return b.counts.count
        }
    }

    /// The arm to play next.
    public mutating func select(_ generator: inout SeededGenerator) -> Int {
        switch state {
        case .thompsonBeta(let b): return b.select(&generator)
        case .thompsonGaussian(let b): return b.select(&generator)
        case .ucb1(var b):
            let arm = b.select()
            state = .ucb1(b)
            return arm
        case .epsilonGreedy(var b):
            let arm = b.select(&generator)
            state = .epsilonGreedy(b)
            return arm
        }
    }

    /// A closed round trip of `arm`: whether it won, and its return on the entry cost.
    public mutating func update(arm: Int, won: Bool, return value: Double) {
        let reward = self.reward == .win ? (won ? 1.0 : 0.0) : (value.isFinite ? value : 0)
        switch state {
        case .thompsonBeta(var b):
            b.update(arm: arm, won: won)
            state = .thompsonBeta(b)
        case .thompsonGaussian(var b):
            b.update(arm: arm, reward: reward)
            state = .thompsonGaussian(b)
        case .ucb1(var b):
            b.update(arm: arm, reward: reward)
            state = .ucb1(b)
        case .epsilonGreedy(var b):
            b.update(arm: arm, reward: reward)
            state = .epsilonGreedy(b)
        }
    }
}
