import Foundation
import PeregrineCore
import PeregrineRisk
import Testing

@Suite struct ThompsonAllocatorTests {
    /// Three strategies with daily mean returns of +0.10%, 0 and −0.05% (sd 1%), rebalanced every
    /// 20 days: within 10 rebalances the best one holds more than 60% of the capital, and the
    /// others keep at least the 5% floor.
    @Test func capitalShiftsToTheBestStrategy() {
        var allocator = ThompsonAllocator(strategies: ["good", "flat", "bad"], floor: 0.05, draws: 2_000, seed: 1)
        var market = SeededGenerator(seed: 99)
        let edges = [0.001, 0.0, -0.0005]
        var weights = [1.0 / 3, 1.0 / 3, 1.0 / 3]
        var history: [[Double]] = []
        for _ in 0..<10 {
            for _ in 0..<20 {
                for k in 0..<3 { allocator.observe(strategy: k, return: market.nextNormal(mean: edges[k], standardDeviation: 0.01)) }
            }
            weights = allocator.rebalance()
            history.append(weights)
            #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
            #expect(weights.allSatisfy { $0 >= 0.05 - 1e-12 })
        }
        #expect(weights[0] > 0.6, "weights after 10 rebalances: \(weights)")
        #expect(weights[2] < weights[1] + 0.1)
    }

    @Test func stateSurvivesARestart() throws {
        var live = ThompsonAllocator(strategies: ["a", "b"], seed: 4)
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<50 { live.observe(strategy: 0, return: generator.nextNormal() * 0.01 + 0.002); live.observe(strategy: 1, return: generator.nextNormal() * 0.01) }
        _ = live.rebalance()
        let saved = try JSONEncoder().encode(live)
        var restored = try JSONDecoder().decode(ThompsonAllocator.self, from: saved)
        #expect(restored == live)
        #expect(restored.rebalance() == live.rebalance())
    }

    @Test func posteriorUpdatesAreConjugate() {
        // After observing 1, 2, 3 from the prior (m 0, n 1, a 1, b 1e-4): n = 4, m = 6/4, a = 2.5,
        // b = 1e-4 + ½(Σ(x − x̄)² + n₀·3·(x̄ − m₀)²/(n₀ + 3)) = 1e-4 + ½(2 + 3·4/4) = 2.5001.
        var allocator = ThompsonAllocator(strategies: ["a"])
        for x in [1.0, 2.0, 3.0] { allocator.observe(strategy: 0, return: x) }
        let p = allocator.posteriors[0]
        #expect(p.count == 4 && abs(p.mean - 1.5) < 1e-12 && p.shape == 2.5)
        #expect(abs(p.rate - 2.5001) < 1e-12)
    }

    @Test func forgettingKeepsTheMeanAndShrinksTheEvidence() {
        var allocator = ThompsonAllocator(strategies: ["a"])
        for x in [1.0, 2.0, 3.0] { allocator.observe(strategy: 0, return: x) }
        let before = allocator.posteriors[0]
        allocator.forget(keeping: 0.5)
        let after = allocator.posteriors[0]
        #expect(after.mean == before.mean && after.count == 2.5 && after.shape == 1.75)
        #expect(abs(after.rate - (1e-4 + (before.rate - 1e-4) / 2)) < 1e-15)
    }
}
