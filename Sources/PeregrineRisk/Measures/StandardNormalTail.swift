import Synchronization
import PeregrineCore

/// The Monte Carlo tail of a standard normal, drawn once per (paths, seed, confidence) and kept: a
/// normal with mean μ and deviation σ is μ + σ z, and ordering, interpolation and averaging all commute
/// with that map, so every pre-trade check of a Monte Carlo VaR limit is two multiplications instead
/// of a fresh 100,000 draws and a selection.
enum StandardNormalTail {
    struct Key: Hashable {
        var paths: Int
        var seed: UInt64
        var confidence: Double
    }

    private static let cache = Mutex<[Key: ValueAtRisk.Estimate]>([:])

    /// The historical VaR and CVaR of `paths` seeded standard normal draws.
    static func estimate(paths: Int, seed: UInt64, confidence: Double) -> ValueAtRisk.Estimate {
        let key = Key(paths: paths, seed: seed, confidence: confidence)
        if let known = cache.withLock({ $0[key] }) { return known }
        var generator = SeededGenerator(seed: seed)
        var draws = (0..<paths).map { _ in generator.nextNormal() }
        let estimate = ValueAtRisk.historical(consuming: &draws, confidence: confidence)
        cache.withLock { cache in
            if cache.count >= 64 { cache.removeAll() }   // a handful of limits use a handful of keys
            cache[key] = estimate
        }
        return estimate
    }
}
