import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies
import Testing

@Suite struct SMACrossSweepTests {
    static let series: BarSeries = {
        var options = SyntheticMarket.Options()
        options.bars = 20_000
        options.seed = 17
        return SyntheticMarket(options: options).generate()
    }()

    func kernel(_ c: SMACrossSweep.Combination, commission: CommissionModel, series: BarSeries = Self.series,
                quantity: Quantity = Quantity(100), cash: Money = Money(1_000_000)) -> BacktestResult {
        var configuration = BacktestConfiguration()
        configuration.venue.commission = commission
        configuration.initialCash = cash
        let strategy = SMACrossStrategy(fast: c.fast, slow: c.slow, sizing: PositionSizing(base: .quantity(quantity)))
        return BacktestEngine(series: [series], strategy: strategy, configuration: configuration).run()
    }

    static func randomCombinations(_ count: Int, seed: UInt64) -> [SMACrossSweep.Combination] {
        var rng = SeededGenerator(seed: seed)
        var combinations: [SMACrossSweep.Combination] = []
        while combinations.count < count {
            let fast = Int(rng.next() % 49) + 2
            let slow = Int(rng.next() % 180) + 5
            if fast < slow { combinations.append(.init(fast: fast, slow: slow)) }
        }
        return combinations
    }

    static func close(_ a: Double, _ b: Double, within tolerance: Double = 1e-9) -> Bool {
        a == b || abs(a - b) <= tolerance * max(abs(b), 1e-12) || (a.isNaN && b.isNaN)
    }

    /// The sweep's figures for each combination against the event-driven kernel's.
    func expectSameAsKernel(_ sweep: SMACrossSweep, _ combinations: [SMACrossSweep.Combination]) {
        for (c, fast) in zip(combinations, sweep.run(combinations)) {
            let slow = kernel(c, commission: sweep.commission, series: sweep.series, quantity: sweep.quantity, cash: sweep.initialCash)
            #expect(fast.fills == slow.fills.count, "\(c)")
            #expect(fast.roundTrips == slow.roundTrips.count && fast.openTrades == slow.openTrips.count, "\(c)")
            #expect(fast.finalEquity == slow.finalEquity, "\(c): \(fast.finalEquity) vs \(slow.finalEquity)")
            let m = slow.metrics
            #expect(Self.close(fast.sharpe, m.returns.sharpe), "\(c) sharpe \(fast.sharpe) vs \(m.returns.sharpe)")
            #expect(Self.close(fast.sortino, m.returns.sortino), "\(c) sortino")
            #expect(Self.close(fast.maxDrawdown, m.returns.maxDrawdown), "\(c) drawdown")
            #expect(Self.close(fast.calmar, m.returns.calmar), "\(c) calmar")
            #expect(Self.close(fast.profitFactor, m.trades.profitFactor), "\(c) profit factor")
        }
    }

    static let perShare = try! CommissionModel(specification: "per-share:0.005,min=1")

    /// 100 shares a trade on the synthetic minute bars, with a per-share commission.
    static func sweep(cash: Money) -> SMACrossSweep {
        let periods = BacktestConfiguration.inferredPeriodsPerYear(interval: series.typicalInterval, calendar: .usEquity)
        return SMACrossSweep(series: series, quantity: Quantity(100), initialCash: cash, commission: perShare, periodsPerYear: periods)
    }

    /// 50 random combinations: the same fills, round trips and final equity to the last unit as the
    /// event-driven kernel, and the same statistics to 1e-9 relative.
    @Test func fiftyRandomCombinationsMatchTheKernelToTheUnit() {
        let sweep = Self.sweep(cash: Money(1_000_000))
        #expect(sweep.comparesInDoubles(largestWindow: 200))
        expectSameAsKernel(sweep, Self.randomCombinations(50, seed: 3))
    }

    /// With cash for about one position, a buy after losing trades costs more than the cash left at
    /// the signal's close and is refused, as the kernel refuses it.
    @Test func buysBeyondTheCashAreRefusedAsTheKernelRefusesThem() {
        let combinations = Self.randomCombinations(12, seed: 5)
        let tight = Self.sweep(cash: Money(10_100))
        let ample = Self.sweep(cash: Money(1_000_000))
        let refused = zip(tight.run(combinations), ample.run(combinations)).filter { $0.fills < $1.fills }.count
        #expect(refused > 0, "no buy was refused: the test does not reach the cash check")
        expectSameAsKernel(tight, combinations)
    }

    /// Prices of three million with nine decimals over 20,000 bars: the prefix sums pass 2^53, so
    /// crossings are compared in 128-bit integers, with the same fills as the kernel.
    @Test func pricesBeyondADoublesExactRangeTakeTheWidePathAndMatchTheKernel() {
        var options = SyntheticMarket.Options()
        options.bars = 20_000
        options.seed = 23
        options.startPrice = 3_000_000
        options.tick = Price(units: 1)
        let series = SyntheticMarket(options: options).generate()
        let periods = BacktestConfiguration.inferredPeriodsPerYear(interval: series.typicalInterval, calendar: .usEquity)
        let sweep = SMACrossSweep(series: series, quantity: Quantity(10), initialCash: Money(100_000_000), periodsPerYear: periods)
        #expect(!sweep.comparesInDoubles(largestWindow: 200))
        expectSameAsKernel(sweep, Self.randomCombinations(12, seed: 11))
    }

    /// Blocks of 1, 7 and 64 bars put thousands of block edges under signals and held stretches:
    /// the same fills and money as one block per 4,096 bars, statistics to rounding.
    @Test func resultsDoNotDependOnTheBlockSize() {
        let combinations = Self.randomCombinations(30, seed: 9)
        var sweep = Self.sweep(cash: Money(1_000_000))
        let reference = sweep.run(combinations)
        for size in [1, 7, 64] {
            sweep.blockSize = size
            for (a, b) in zip(sweep.run(combinations), reference) {
                #expect(a.fills == b.fills && a.roundTrips == b.roundTrips && a.finalEquity == b.finalEquity,
                        "block \(size), \(a.combination)")
                #expect(Self.close(a.sharpe, b.sharpe, within: 1e-12) && Self.close(a.sortino, b.sortino, within: 1e-12)
                        && Self.close(a.maxDrawdown, b.maxDrawdown, within: 1e-12), "block \(size), \(a.combination)")
            }
        }
    }

    @Test func resultsDoNotDependOnTheCoreCount() {
        let combinations = SMACrossSweep.grid(fast: stride(from: 5, through: 20, by: 5), slow: stride(from: 20, through: 60, by: 10))
        let sweep = SMACrossSweep(series: Self.series, quantity: Quantity(100), initialCash: Money(1_000_000), periodsPerYear: 98_280)
        #expect(sweep.run(combinations, threads: 1) == sweep.run(combinations, threads: 2))
        #expect(sweep.run(combinations, threads: 2) == sweep.run(combinations, threads: 7))
        #expect(combinations.allSatisfy { $0.fast < $0.slow } && combinations.count == 4 * 5 - 1)
    }
}
