/// UCB1 (Auer et al.): plays each arm once, then the arm maximizing mean + √(2 ln t / n),
/// optimism that shrinks as an arm is tried. Deterministic given the rewards. Codable.
public struct UCB1Bandit: Sendable, Codable, Equatable {
    public var counts: [Int]
    public var means: [Double]
    public var pulls = 0

    public init(arms: Int) {
        precondition(arms >= 1)
        counts = Array(repeating: 0, count: arms)
        means = Array(repeating: 0, count: arms)
    }

    public mutating func select() -> Int {
        pulls += 1
        if let untried = counts.firstIndex(of: 0) { return untried }
        let logT = Foundationless.log(Double(pulls))
        return counts.indices.max { a, b in
            means[a] + (2 * logT / Double(counts[a])).squareRoot() < means[b] + (2 * logT / Double(counts[b])).squareRoot()
        }!
    }

    public mutating func update(arm: Int, reward: Double) {
        counts[arm] += 1
        means[arm] += (reward - means[arm]) / Double(counts[arm])
    }
}

import PeregrineCore
