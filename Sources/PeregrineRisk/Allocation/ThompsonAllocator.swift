import PeregrineCore
import PeregrineModels

/// Shares capital among strategies by Thompson sampling on their recent performance. Each strategy's
/// per-period return has a Normal-Gamma posterior (unknown mean and precision, conjugate updates);
/// at each rebalance every posterior is sampled `draws` times and a strategy's weight is the share of
/// draws in which its sampled mean is the highest (probability matching), then every weight is
/// raised to `floor` and the rest rescaled. The state is Codable, so a restart continues learning.
public struct ThompsonAllocator: Sendable, Codable, Equatable {
    /// Normal-Gamma parameters of one strategy: mean estimate, pseudo-count, shape, rate.
    public struct Posterior: Sendable, Codable, Equatable {
        public var mean = 0.0
        public var count = 1.0
        public var shape = 1.0
        public var rate = 1e-4

        /// Conjugate update with one observed return.
        mutating func observe(_ x: Double) {
            let newCount = count + 1
            rate += count * (x - mean) * (x - mean) / (2 * newCount)
            mean = (count * mean + x) / newCount
            count = newCount
            shape += 0.5
        }
    }

    public var strategies: [String]
    public var posteriors: [Posterior]
    public var floor: Double
    public var draws: Int
    /// Generator state: the seed advances with every rebalance, so a restored state draws what the
    /// uninterrupted one would have.
    public var seed: UInt64
    public private(set) var rebalances = 0

    public init(strategies: [String], floor: Double = 0.05, draws: Int = 2_000, seed: UInt64 = 0) {
        precondition(!strategies.isEmpty && floor >= 0 && floor * Double(strategies.count) <= 1)
        self.strategies = strategies
        self.posteriors = Array(repeating: Posterior(), count: strategies.count)
        self.floor = floor
        self.draws = draws
        self.seed = seed
    }

    /// Keeps a share `factor` of the evidence gathered so far (exponential forgetting): every
    /// posterior keeps its mean but its pseudo-counts shrink toward the prior, so recent returns
    /// weigh more than old ones.
    public mutating func forget(keeping factor: Double) {
        precondition(factor > 0 && factor <= 1)
        let prior = Posterior()
        for k in posteriors.indices {
            posteriors[k].count = prior.count + (posteriors[k].count - prior.count) * factor
            posteriors[k].shape = prior.shape + (posteriors[k].shape - prior.shape) * factor
            posteriors[k].rate = prior.rate + (posteriors[k].rate - prior.rate) * factor
        }
    }

    /// Records one period's return of strategy `index`.
    public mutating func observe(strategy index: Int, return value: Double) { posteriors[index].observe(value) }

    /// New weights (summing to 1) from the current posteriors.
    public mutating func rebalance() -> [Double] {
        var generator = SeededGenerator(seed: seed &+ UInt64(rebalances) &* 0x9E37_79B9_7F4A_7C15)
        rebalances += 1
        var wins = Array(repeating: 0, count: strategies.count)
        for _ in 0..<draws {
            var best = 0
            var bestValue = -Double.infinity
            for (k, p) in posteriors.enumerated() {
                let precision = BanditSampling.gamma(shape: p.shape, generator: &generator) / p.rate
                let sample = p.mean + generator.nextNormal() / (p.count * precision).squareRoot()
                if sample > bestValue {
                    bestValue = sample
                    best = k
                }
            }
            wins[best] += 1
        }
        let raw = wins.map { Double($0) / Double(draws) }
        // Raise every weight to the floor and take the extra from the others in proportion.
        let lifted = raw.map { max($0, floor) }
        let excess = lifted.reduce(0, +) - 1
        let reducible = zip(raw, lifted).reduce(0.0) { $0 + ($1.0 > floor ? $1.1 - floor : 0) }
        return lifted.map { w in w > floor && reducible > 0 ? w - excess * (w - floor) / reducible : w }
    }
}
