import PeregrineCore
import PeregrineModels

/// Value at risk and conditional value at risk (expected shortfall) of a return series, as
/// returns (negative numbers are losses), by three methods:
/// - historical, with empyrical's definitions: VaR is the linearly interpolated
///   (1 − confidence) percentile, CVaR the mean of the worst ⌊(n − 1)(1 − confidence)⌋ + 1 returns;
/// - parametric normal: VaR = μ + σ z, CVaR = μ − σ φ(z) / (1 − confidence), z = Φ⁻¹(1 − confidence);
/// - Monte Carlo: the historical figures of `paths` seeded normal draws with the sample μ and σ.
public enum ValueAtRisk {
    public struct Estimate: Sendable, Equatable {
        public var valueAtRisk: Double
        public var conditionalValueAtRisk: Double
    }

    public static func historical(_ returns: [Double], confidence: Double) -> Estimate {
        var scratch = returns
        return historical(consuming: &scratch, confidence: confidence)
    }

    /// The same; `returns` may be reordered (only when it holds a NaN). CVaR's sum adds the tail's
    /// values in the series' order (`LowerTail`).
    public static func historical(consuming returns: inout [Double], confidence: Double) -> Estimate {
        let n = returns.count
        guard n > 0 else { return Estimate(valueAtRisk: .nan, conditionalValueAtRisk: .nan) }
        let (position, lower, cutoff) = historicalRanks(count: n, confidence: confidence)
        if cutoff == lower, let found = returns.withUnsafeBufferPointer({ LowerTail($0, k: lower) }) {
            return historical(found, count: n, confidence: confidence)
        }
        // A NaN among the returns: the quickselect's order, as before.
        selectKth(&returns, lower)
        let lowerValue = returns[lower]
        let upperValue = lower + 1 < n ? returns[(lower + 1)...].min()! : lowerValue
        // The worst cutoff + 1 values are indices 0...lower once `lower` is selected (cutoff == lower).
        let sum = returns[0...cutoff].reduce(0, +)
        return Estimate(valueAtRisk: lowerValue + (upperValue - lowerValue) * (position - Double(lower)),
                        conditionalValueAtRisk: sum / Double(cutoff + 1))
    }

    /// Where the historical figures of `count` returns sit: VaR's percentile `position` between
    /// ranks `lower` and `lower + 1`, and the rank `cutoff` of the last return CVaR averages. A
    /// `LowerTail` of rank `lower` gives both when `cutoff == lower` (`historical(_:count:confidence:)`).
    public static func historicalRanks(count n: Int, confidence: Double) -> (position: Double, lower: Int, cutoff: Int) {
        let tail = 1 - confidence
        let position = tail * Double(n - 1)
        return (position, Int(position), Int(Double(n - 1) * tail))
    }

    /// The historical figures of `count` returns from their lower tail of rank `lower`
    /// (`historicalRanks`), for callers that select it without holding the returns.
    public static func historical(_ found: LowerTail, count n: Int, confidence: Double) -> Estimate {
        let (position, lower, cutoff) = historicalRanks(count: n, confidence: confidence)
        return Estimate(valueAtRisk: found.kth + (found.next - found.kth) * (position - Double(lower)),
                        conditionalValueAtRisk: found.sum / Double(cutoff + 1))
    }

    public static func parametric(mean: Double, standardDeviation: Double, confidence: Double) -> Estimate {
        let z = NormalDistribution.quantile(1 - confidence)
        return Estimate(valueAtRisk: mean + standardDeviation * z,
                        conditionalValueAtRisk: mean - standardDeviation * NormalDistribution.pdf(z) / (1 - confidence))
    }

    public static func parametric(_ returns: [Double], confidence: Double) -> Estimate {
        let (mean, deviation) = moments(returns)
        return parametric(mean: mean, standardDeviation: deviation, confidence: confidence)
    }

    public static func monteCarlo(_ returns: [Double], confidence: Double, paths: Int = 100_000, seed: UInt64 = 0) -> Estimate {
        let (mean, deviation) = moments(returns)
        guard paths > 0, mean.isFinite, deviation.isFinite else { return Estimate(valueAtRisk: .nan, conditionalValueAtRisk: .nan) }
        let standard = StandardNormalTail.estimate(paths: paths, seed: seed, confidence: confidence)
        return Estimate(valueAtRisk: mean + deviation * standard.valueAtRisk,
                        conditionalValueAtRisk: mean + deviation * standard.conditionalValueAtRisk)
    }

    /// Portfolio returns from per-instrument return series (aligned, same length) and weights.
    public static func portfolioReturns(_ series: [[Double]], weights: [Double]) -> [Double] {
        precondition(series.count == weights.count && !series.isEmpty)
        let n = series[0].count
        precondition(series.allSatisfy { $0.count == n }, "return series must be aligned")
        return (0..<n).map { t in zip(series, weights).reduce(0) { $0 + $1.0[t] * $1.1 } }
    }

    static func moments(_ returns: [Double]) -> (Double, Double) {
        let n = Double(returns.count)
        let mean = returns.reduce(0, +) / n
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, variance.squareRoot())
    }

    /// Reorders `values` so index `k` holds the k-th smallest and every value before it is no
    /// larger (Hoare quickselect, middle pivot). Runs on the array's buffer: through the array, every
    /// swap checked uniqueness and bounds, over a million returns at the end of each backtest. The
    /// scans stay in bounds as they always did: each stops at the pivot or at a value a swap put there.
    public static func selectKth(_ values: inout [Double], _ k: Int) {
        values.withUnsafeMutableBufferPointer { values in
            var low = 0
            var high = values.count - 1
            while low < high {
                let pivot = values[(low + high) / 2]
                var i = low
                var j = high
                while i <= j {
                    while values[i] < pivot { i += 1 }
                    while values[j] > pivot { j -= 1 }
                    if i <= j {
                        values.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j { high = j } else if k >= i { low = i } else { return }
            }
        }
    }
}
