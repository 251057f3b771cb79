import PeregrineCore
import PeregrineIndicators
import Testing

@Suite struct MovingAverageTests {
    /// Against a naive recomputation of both window sums every bar, on prices with many ties.
    @Test(arguments: [(10, 30), (5, 50), (30, 10), (1, 2), (7, 7)])
    func crossMatchesNaiveRecomputation(fast: Int, slow: Int) {
        var rng = SeededGenerator(seed: UInt64(fast * 1000 + slow))
        var prices: [Int64] = []
        var level: Int64 = 100_000_000_000
        for _ in 0..<5_000 {
            level += Int64(rng.next() % 5) * 10_000_000 - 20_000_000  // steps of -2..+2 cents: many flat runs
            prices.append(max(level, 1_000_000_000))
        }
        var detector = MovingAverageCross(fast: fast, slow: slow)
        let longest = max(fast, slow)
        var previous: Int? = nil
        for (t, price) in prices.enumerated() {
            let event = detector.update(price)
            var expected: MovingAverageCross.Event? = nil
            if t + 1 >= longest {
                let sf = prices[(t - fast + 1)...t].reduce(0, +)
                let ss = prices[(t - slow + 1)...t].reduce(0, +)
                let lhs = Int128(slow) * Int128(sf), rhs = Int128(fast) * Int128(ss)
                let current = lhs > rhs ? 1 : (lhs < rhs ? -1 : 0)
                #expect(detector.fastSum == sf && detector.slowSum == ss)
                if let p = previous {
                    if current > 0 && p <= 0 { expected = .crossUp }
                    if current < 0 && p >= 0 { expected = .crossDown }
                }
                previous = current
            }
            #expect(event == expected, "bar \(t)")
        }
    }

    @Test func simpleMovingAverageBatchEqualsStreaming() {
        let prices: [Int64] = (1...50).map { Int64($0) * 1_000_000_000 }
        let batch = SimpleMovingAverage.batch(prices, period: 10)
        #expect(batch.prefix(9).allSatisfy { $0 == nil })
        #expect(batch[9] == 5.5)  // mean of 1...10
        #expect(batch[49] == 45.5)  // mean of 41...50
    }

    @Test func rollingVolatilityMatchesSampleDeviation() {
        var vol = RollingVolatility(window: 3)
        let prices = ["100", "110", "99", "108.9"].map { Price($0)! }
        var last: Double? = nil
        for p in prices { last = vol.update(p) }
        let r = [Foundationless.log(1.1), Foundationless.log(0.9), Foundationless.log(1.1)]
        let m = r.reduce(0, +) / 3
        let sd = (r.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 2).squareRoot()
        #expect(abs(last! - sd) < 1e-12)
    }
}

@Suite struct WindowPrimitiveTests {
    @Test(arguments: [1, 2, 5, 20])
    func rollingExtremesMatchNaiveScan(period: Int) {
        var rng = SeededGenerator(seed: UInt64(period))
        let values = (0..<3_000).map { _ in Double(rng.next() % 50) }  // many repeats
        var maximum = RollingExtreme(period: period, maximum: true)
        var minimum = RollingExtreme(period: period, maximum: false)
        for (t, x) in values.enumerated() {
            let high = maximum.update(x)
            let low = minimum.update(x)
            if t + 1 < period {
                #expect(high == nil && low == nil)
            } else {
                let window = values[(t - period + 1)...t]
                #expect(high == window.max() && low == window.min(), "t=\(t)")
            }
        }
    }

    @Test func lagBufferDisplacesTheOldest() {
        var lag = LagBuffer(capacity: 3, filler: 0)
        #expect(lag.push(1) == nil && lag.push(2) == nil && lag.push(3) == nil)
        #expect(lag.push(4) == 1)
        #expect(lag.values == [2, 3, 4] && lag[ago: 0] == 4)
    }

    /// Pushing a run of values at once leaves the buffer as pushing them one by one.
    @Test func lagBufferPushesARunAsOneByOne() {
        for capacity in [1, 3, 7] {
            for runs in [[2], [5, 1], [3, 9, 0, 4], [1, 1, 1, 1, 1, 1, 1, 1]] {
                var single = LagBuffer(capacity: capacity, filler: -1)
                var batch = LagBuffer(capacity: capacity, filler: -1)
                var next = 0
                for run in runs {
                    let first = next
                    for k in 0..<run { single.push(first + k) }
                    batch.push(count: run) { first + $0 }
                    next += run
                    #expect(batch.values == single.values && batch.count == single.count, "capacity \(capacity), runs \(runs)")
                }
            }
        }
    }
}

