import PeregrineCore

/// Epsilon-greedy with decay: explores a random arm with probability ε_t = min(1, c / t) and
/// otherwise plays the arm with the best mean reward. Codable: saved state resumes learning.
public struct EpsilonGreedyBandit: Sendable, Codable, Equatable {
    public var counts: [Int]
    public var means: [Double]
    public var exploration: Double
    public var pulls = 0

    /// - Parameter exploration: c in ε_t = min(1, c / t).
    public init(arms: Int, exploration: Double = 5) {
        precondition(arms >= 1 && exploration > 0)
        counts = Array(repeating: 0, count: arms)
        means = Array(repeating: 0, count: arms)
        self.exploration = exploration
    }

    public mutating func select(_ generator: inout SeededGenerator) -> Int {
        pulls += 1
        if let untried = counts.firstIndex(of: 0) { return untried }
        let epsilon = min(1, exploration / Double(pulls))
        if generator.nextUniform() < epsilon { return Int(generator.next() % UInt64(counts.count)) }
        return means.indices.max { means[$0] < means[$1] }!
    }

    public mutating func update(arm: Int, reward: Double) {
        counts[arm] += 1
        means[arm] += (reward - means[arm]) / Double(counts[arm])
    }
}
