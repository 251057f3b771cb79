import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineRisk
import PeregrineStrategies
import Testing

@Suite struct StrategyPortfolioTests {
    /// Two sleeves, half each, rebalanced after every second bar at 10 bps of the capital moved, by hand:
    /// bar 0: 50.5 + 50 = 100.5; bar 1: 49.49 + 50.5 = 99.99, rebalance to 49.995 each, moved 0.505,
    /// cost 0.000505, so 49.9947475 each; bar 2: ×1.03 and ×0.99; bar 3: ×1 and ×1.02.
    @Test func staticWeightsCompoundBetweenRebalancesAndPayForTurnover() throws {
        var settings = StrategyPortfolio.Settings(allocation: .staticWeights([0.5, 0.5]), rebalanceEvery: 2)
        settings.costBps = 10
        let report = try StrategyPortfolio(names: ["a", "b"], settings: settings, periodsPerYear: 252)
            .combine(returns: [[0.01, -0.02, 0.03, 0.0], [0.0, 0.01, -0.01, 0.02]], times: [1, 2, 3, 4], initialCapital: 100)
        let each = (99.99 - 0.505 * 0.001) / 2
        let expected = [100.5, 99.99 - 0.505 * 0.001, each * 1.03 + each * 0.99, each * 1.03 + each * 0.99 * 1.02]
        for (value, hand) in zip(report.equity, expected) { #expect(abs(value - hand) < 1e-9, "\(report.equity) vs \(expected)") }
        #expect(report.rebalances.count == 2 && report.rebalances[1].bar == 2)
        #expect(abs(report.rebalances[1].turnover - 0.505 / 99.99) < 1e-12 && abs(report.rebalances[1].cost - 0.000505) < 1e-12)
        #expect(throws: StrategyPortfolio.Failure.self) {
            try StrategyPortfolio(names: ["a", "b"], settings: .init(allocation: .staticWeights([0.7, 0.7]), rebalanceEvery: 2), periodsPerYear: 252)
                .combine(returns: [[0], [0]], times: [1], initialCapital: 1)
        }
    }

    /// Three synthetic strategies with daily edges of +0.10%, 0 and −0.05% (0.5% daily volatility,
    /// so 200 bars tell them apart by about three standard errors), on five seeds: each time the
    /// meta-controller gives the best one more than 60% of the capital within 10 rebalances of 20
    /// bars, never lets a sleeve below the 5% floor, ends with most capital in the best sleeve, and
    /// earns more than equal static weights on the same returns.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func theMetaControllerShiftsCapitalToTheBestStrategy(seed: UInt64) throws {
        var market = SeededGenerator(seed: 90 + seed)
        let edges = [0.001, 0.0, -0.0005]
        let bars = 400
        let returns = edges.map { edge in (0..<bars).map { _ in market.nextNormal(mean: edge, standardDeviation: 0.005) } }
        let times = (0..<bars).map(Int64.init)
        let portfolio = StrategyPortfolio(names: ["good", "flat", "bad"],
                                          settings: .init(allocation: .thompson(floor: 0.05, seed: seed), rebalanceEvery: 20), periodsPerYear: 252)
        let report = try portfolio.combine(returns: returns, times: times, initialCapital: 1_000_000)
        #expect(report.rebalances.count == 20)  // the start and after every 20 bars but the last
        #expect(report.rebalances.allSatisfy { abs($0.weights.reduce(0, +) - 1) < 1e-12 && $0.weights.allSatisfy { $0 >= 0.05 - 1e-12 } })
        let shifted = try #require(report.rebalances.firstIndex { $0.weights[0] > 0.6 }, "\(report.rebalances.map(\.weights))")
        #expect(shifted <= 10, "best sleeve above 60% only at rebalance \(shifted): \(report.rebalances.map(\.weights))")
        #expect(report.finalCapital[0] > report.finalCapital[1] && report.finalCapital[0] > report.finalCapital[2])
        let equal = try StrategyPortfolio(names: ["good", "flat", "bad"],
                                          settings: .init(allocation: .staticWeights([1.0 / 3, 1.0 / 3, 1.0 / 3]), rebalanceEvery: 20),
                                          periodsPerYear: 252).combine(returns: returns, times: times, initialCapital: 1_000_000)
        #expect(report.equity.last! > equal.equity.last!)
    }

    /// Stopped at a rebalance and restarted with the saved allocator, the meta-controller chooses the
    /// same weights as the run that never stopped.
    @Test func theMetaControllerContinuesAfterARestart() throws {
        var market = SeededGenerator(seed: 7)
        let returns = [0.0008, 0.0].map { edge in (0..<200).map { _ in market.nextNormal(mean: edge, standardDeviation: 0.01) } }
        let portfolio = StrategyPortfolio(names: ["a", "b"], settings: .init(allocation: .thompson(floor: 0.1, seed: 3), rebalanceEvery: 25),
                                          periodsPerYear: 252)
        let whole = try portfolio.combine(returns: returns, times: (0..<200).map(Int64.init), initialCapital: 100)
        let first = try portfolio.combine(returns: returns.map { Array($0[0..<100]) }, times: (0..<100).map(Int64.init), initialCapital: 100)
        let saved = try JSONEncoder().encode(first.allocator!)
        let restored = try JSONDecoder().decode(ThompsonAllocator.self, from: saved)
        let second = try portfolio.combine(returns: returns.map { Array($0[100..<200]) }, times: (100..<200).map(Int64.init),
                                           initialCapital: first.equity.last!, allocator: restored)
        #expect(second.rebalances.map(\.weights) == Array(whole.rebalances.map(\.weights).suffix(second.rebalances.count)))
        #expect(second.rebalances.count == 4)
        #expect(throws: StrategyPortfolio.Failure.self) {
            try StrategyPortfolio(names: ["x", "y"], settings: .init(allocation: .thompson(floor: 0.1, seed: 3), rebalanceEvery: 25), periodsPerYear: 252)
                .combine(returns: returns, times: (0..<200).map(Int64.init), initialCapital: 100, allocator: restored)
        }
    }

    /// Real sleeves: all the capital in one sleeve is that sleeve's own backtest.
    @Test func aSleeveWithAllTheCapitalIsItsOwnBacktest() throws {
        let series = SyntheticMarket.series(bars: 1_500, seed: 12, interval: Timestamp.nanosPerDay)
        let sma = try StrategyCatalog.backtest(strategy: "sma-cross", parameters: StrategyParameters(["percent": "0.95"]), series: [series],
                                               configuration: BacktestConfiguration())
        let hold = try StrategyCatalog.backtest(strategy: "buy-and-hold", parameters: StrategyParameters(), series: [series],
                                                configuration: BacktestConfiguration())
        let report = try StrategyPortfolio(names: ["sma", "hold"], settings: .init(allocation: .staticWeights([1, 0]), rebalanceEvery: 21),
                                           periodsPerYear: 252).run([sma, hold], initialCapital: 1_000_000)
        #expect(sma.roundTrips.count > 10)
        for (value, point) in zip(report.equity, sma.equity) { #expect(abs(value - point.equity.doubleValue) < 1e-6) }
        #expect(abs(report.sleeveReturns[1] - hold.metrics.returns.totalReturn) < 1e-9)
        let short = SyntheticMarket.series(bars: 100, seed: 12, interval: Timestamp.nanosPerDay)
        let other = try StrategyCatalog.backtest(strategy: "buy-and-hold", parameters: StrategyParameters(), series: [short],
                                                 configuration: BacktestConfiguration())
        #expect(throws: StrategyPortfolio.Failure.self) {
            try StrategyPortfolio(names: ["sma", "hold"], settings: .init(allocation: .staticWeights([1, 0]), rebalanceEvery: 21), periodsPerYear: 252)
                .run([sma, other], initialCapital: 1_000_000)
        }
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
