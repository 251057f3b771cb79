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

    func kernel(_ c: SMACrossSweep.Combination, commission: CommissionModel) -> BacktestResult {
        var configuration = BacktestConfiguration()
        configuration.venue.commission = commission
        let strategy = SMACrossStrategy(fast: c.fast, slow: c.slow, sizing: PositionSizing(base: .quantity(Quantity(100))))
        return BacktestEngine(series: [Self.series], strategy: strategy, configuration: configuration).run()
    }

    /// 50 random combinations: the same fills, round trips and final equity to the last unit as the
    /// event-driven kernel, and the same statistics to 1e-9 relative.
    @Test func fiftyRandomCombinationsMatchTheKernelToTheUnit() throws {
        var rng = SeededGenerator(seed: 3)
        var combinations: [SMACrossSweep.Combination] = []
        while combinations.count < 50 {
            let fast = Int(rng.next() % 49) + 2
            let slow = Int(rng.next() % 180) + 5
            if fast < slow { combinations.append(.init(fast: fast, slow: slow)) }
        }
        let commission = try CommissionModel(specification: "per-share:0.005,min=1")
        let periods = BacktestConfiguration.inferredPeriodsPerYear(interval: Self.series.typicalInterval, calendar: .usEquity)
        let sweep = SMACrossSweep(series: Self.series, quantity: Quantity(100), initialCash: Money(1_000_000),
                                  commission: commission, periodsPerYear: periods)
        let results = sweep.run(combinations)
        for (c, fast) in zip(combinations, results) {
            let slow = kernel(c, commission: commission)
            #expect(fast.fills == slow.fills.count, "\(c)")
            #expect(fast.roundTrips == slow.roundTrips.count && fast.openTrades == slow.openTrips.count, "\(c)")
            #expect(fast.finalEquity == slow.finalEquity, "\(c): \(fast.finalEquity) vs \(slow.finalEquity)")
            let m = slow.metrics
            func close(_ a: Double, _ b: Double) -> Bool { a == b || abs(a - b) <= 1e-9 * max(abs(b), 1e-12) || (a.isNaN && b.isNaN) }
            #expect(close(fast.sharpe, m.returns.sharpe), "\(c) sharpe \(fast.sharpe) vs \(m.returns.sharpe)")
            #expect(close(fast.sortino, m.returns.sortino), "\(c) sortino")
            #expect(close(fast.maxDrawdown, m.returns.maxDrawdown), "\(c) drawdown")
            #expect(close(fast.calmar, m.returns.calmar), "\(c) calmar")
            #expect(close(fast.profitFactor, m.trades.profitFactor), "\(c) profit factor")
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
