import PeregrineCore
import PeregrineRisk
import Testing

/// `LowerTail` against a full sort: the k-th and (k+1)-th smallest exactly, and the tail's sum as
/// defined (values below the k-th in the series' order, then the k-th for each tie taken).
@Suite struct LowerTailTests {
    static func series(_ random: inout SeededGenerator, count: Int) -> [Double] {
        (0..<count).map { _ -> Double in
            switch random.next() % 10 {
            case 0: return 0                       // flat periods: many exact zeros
            case 1: return -0.0
            case 2: return Double(Int(random.next() % 5) - 2) * 0.001  // repeated values
            case 3: return random.next() % 50 == 0 ? -.infinity : 1e-300 * random.nextNormal()
            default: return random.nextNormal() * 0.01
            }
        }
    }

    @Test func equalsTheSortedOrderAndTheDefinedSum() {
        var random = SeededGenerator(seed: 21)
        for trial in 0..<300 {
            let count = 1 + Int(random.next() % (trial < 200 ? 60 : 5_000))
            let values = Self.series(&random, count: count)
            let sorted = values.sorted()
            for k in Set([0, count - 1, Int(random.next() % UInt64(count)), Int(Double(count - 1) * 0.05)]) {
                guard let tail = values.withUnsafeBufferPointer({ LowerTail($0, k: k) }) else {
                    Issue.record("trial \(trial): no tail for k \(k) of \(count)")
                    continue
                }
                #expect(tail.kth == sorted[k], "trial \(trial) k \(k): \(tail.kth) against \(sorted[k])")
                let next = k + 1 < count ? sorted[k + 1] : sorted[k]
                #expect(tail.next == next, "trial \(trial) k \(k): next \(tail.next) against \(next)")
                var sum = 0.0, taken = 0
                for x in values where x < sorted[k] { sum += x; taken += 1 }
                while taken < k + 1 { sum += sorted[k]; taken += 1 }
                #expect(tail.sum == sum || (tail.sum.isNaN && sum.isNaN), "trial \(trial) k \(k): sum \(tail.sum) against \(sum)")
            }
        }
    }

    @Test func refusesWhatHasNoOrder() {
        #expect([Double]().withUnsafeBufferPointer { LowerTail($0, k: 0) } == nil)
        #expect([1.0, .nan, 2].withUnsafeBufferPointer { LowerTail($0, k: 1) } == nil)
        #expect([1.0, 2].withUnsafeBufferPointer { LowerTail($0, k: 2) } == nil)
    }

    /// Historical VaR and CVaR of a series with a NaN keep the quickselect's answer; without one, the
    /// figures equal empyrical's definitions worked from a sort.
    @Test func historicalValueAtRiskFromTheTail() {
        var random = SeededGenerator(seed: 3)
        let returns = (0..<1_001).map { _ in random.nextNormal() * 0.02 }
        let estimate = ValueAtRisk.historical(returns, confidence: 0.95)
        let sorted = returns.sorted()
        // (n - 1) * (1 - 0.95) is 50 and a hair: VaR interpolates from the 51st smallest toward the
        // 52nd, CVaR is the mean of the 51 smallest.
        let position = (1 - 0.95) * 1_000.0
        #expect(Int(position) == 50)
        #expect(estimate.valueAtRisk == sorted[50] + (sorted[51] - sorted[50]) * (position - 50))
        let mean = sorted[0...50].reduce(0, +) / 51
        #expect(abs(estimate.conditionalValueAtRisk - mean) < 1e-15)
    }
}
