import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies
import PeregrineTestSupport
import Foundation
import Testing

/// The stress transforms do what they say, by hand and by property, and the stress run's baseline is
/// the plain backtest.
@Suite struct StressTests {
    @Test func deepestDeclinesAreFoundDeepestFirst() {
        let series = BarSeries(instrument: .usEquity("X"), bars: BarBuilder.flatDaily(["100", "120", "90", "130", "65", "140", "126"]))
        let declines = StressScenarios.deepestDeclines(series, count: 5)
        #expect(declines.map(\.peak) == [3, 1, 5] && declines.map(\.trough) == [4, 2, 6])
        #expect(zip(declines.map(\.depth), [0.5, 0.25, 0.1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(StressScenarios.deepestDeclines(series, count: 1).map(\.peak) == [3])
    }

    @Test func volatilityScalingMultipliesLogReturns() {
        let series = SyntheticMarket.series(bars: 2_000, seed: 6, interval: Timestamp.nanosPerDay)
        let same = StressScenarios.scalingVolatility(series, by: 1)
        #expect(same.closes == series.closes && same.highs == series.highs && same.lows == series.lows)
        let doubled = StressScenarios.scalingVolatility(series, by: 2)
        let c0 = Double(series.closes[0])
        for t in stride(from: 1, to: series.count, by: 37) {
            let original = log(Double(series.closes[t]) / c0), scaled = log(Double(doubled.closes[t]) / c0)
            // Within the rounding to the 0.01 tick.
            #expect(abs(scaled - 2 * original) < 0.01 / (Double(doubled.closes[t]) / 1e9), "bar \(t)")
            #expect(doubled.lows[t] <= min(doubled.opens[t], doubled.closes[t]) && doubled.highs[t] >= max(doubled.opens[t], doubled.closes[t]))
        }
    }

    @Test func gapsMoveEverythingAfterThemAndStay() {
        let series = BarSeries(instrument: .usEquity("X"), bars: BarBuilder.flatDaily(Array(repeating: "100", count: 1_000)))
        let (gapped, gaps) = StressScenarios.withGaps(series, every: 100, size: 0.1, seed: 2)
        #expect(gaps.count == 10 || gaps.count == 9)
        #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $1 - $0 == 100 })
        for t in 1..<gapped.count {
            let ratio = Double(gapped.opens[t]) / Double(gapped.closes[t - 1])
            if gaps.contains(t) {
                #expect(abs(ratio - 1.1) < 1e-3 || abs(ratio - 1 / 1.1) < 1e-3, "gap at \(t): \(ratio)")
            } else {
                #expect(ratio == 1, "no gap at \(t)")
            }
        }
        let again = StressScenarios.withGaps(series, every: 100, size: 0.1, seed: 2)
        #expect(again.series.closes == gapped.closes && again.gaps == gaps)
    }

    @Test func theStressRunsBaselineIsTheBacktest() throws {
        let series = SyntheticMarket.series(bars: 3_000, seed: 12, interval: Timestamp.nanosPerDay)
        let parameters = StrategyParameters(["fast": "10", "slow": "30"])
        var test = StressTest(strategy: "sma-cross", parameters: parameters, configuration: BacktestConfiguration())
        test.declines = 2
        let outcomes = try test.run(series)
        #expect(outcomes.map(\.name) == ["baseline", "decline 1", "decline 2", "volatility x2.0", "gaps", "liquidity drought"])
        let plain = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: parameters, series: [series],
                                                 configuration: BacktestConfiguration())
        #expect(outcomes[0].finalEquity == plain.finalEquity && outcomes[0].roundTrips == plain.roundTrips.count)
        #expect(outcomes[0].marketReturn == Double(series.closes.last!) / Double(series.closes[0]) - 1)
        // The declines are the deepest and the market fell in them.
        let declines = StressScenarios.deepestDeclines(series, count: 2)
        #expect(outcomes[1].bars == declines[0].trough - declines[0].peak + 1)
        #expect(abs(outcomes[1].marketReturn + declines[0].depth) < 1e-12 && outcomes[2].marketReturn < 0)
        // A tenth of the volume and a cap per bar split orders: at least as many fills for no more trips.
        #expect(outcomes[5].fills >= outcomes[0].fills && outcomes[5].roundTrips <= outcomes[0].roundTrips)
    }
}

/// Stress of a portfolio: the equal-weight index worked by hand, the baseline equal to the
/// portfolio's backtest, and each decline trading only inside its dates.
@Suite struct PortfolioStressTests {
    @Test func theIndexIsTheMeanOfRelativeClosesCarriedOverGaps() {
        func series(_ symbol: String, _ points: [(Int64, String)]) -> BarSeries {
            var s = BarSeries(instrument: .usEquity(symbol))
            for (time, close) in points {
                let price = Price(close)!
                s.append(Bar(timestamp: Timestamp(nanoseconds: time), open: price, high: price, low: price, close: price, volume: Quantity(1)))
            }
            return s
        }
        let a = series("A", [(1, "10"), (2, "12"), (3, "9"), (4, "10")])
        let b = series("B", [(2, "50"), (4, "40")])
        let market = StressScenarios.equalWeightIndex([a, b])
        #expect(market.timestamps == [1, 2, 3, 4])
        // t1: A alone 1.0; t2: (1.2 + 1.0) / 2; t3: (0.9 + 1.0) / 2 (B carried); t4: (1.0 + 0.8) / 2.
        #expect(market.index.closes == [1_000_000_000, 1_100_000_000, 950_000_000, 900_000_000])
    }

    @Test func aPortfolioStressesOnItsMergedTimeline() throws {
        let first = SyntheticMarket.series(bars: 1_500, seed: 3, interval: Timestamp.nanosPerDay, symbol: "A")
        let other = SyntheticMarket.series(bars: 1_500, seed: 4, interval: Timestamp.nanosPerDay, symbol: "B")
        var late = BarSeries(instrument: other.instrument)
        for t in 300..<other.count where t % 5 != 0 { late.append(other[t]) }
        var configuration = BacktestConfiguration()
        configuration.recordDecisions = false
        let parameters = StrategyParameters(["fast": "5", "slow": "20", "percent": "0.3"])
        var test = StressTest(strategy: "sma-cross", parameters: parameters, configuration: configuration)
        test.declines = 2
        let outcomes = try test.run([first, late])
        #expect(outcomes.map(\.name) == ["baseline", "decline 1", "decline 2", "volatility x2.0", "gaps", "liquidity drought"])
        let plain = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: parameters, series: [first, late],
                                                         configuration: configuration)
        #expect(outcomes[0].finalEquity == plain.finalEquity && outcomes[0].bars == 1_500)
        let market = StressScenarios.equalWeightIndex([first, late])
        for (rank, decline) in StressScenarios.deepestDeclines(market.index, count: 2).enumerated() {
            #expect(outcomes[rank + 1].bars == decline.trough - decline.peak + 1)
            let expected = Double(market.index.closes[decline.trough]) / Double(market.index.closes[decline.peak]) - 1
            #expect(abs(outcomes[rank + 1].marketReturn - expected) < 1e-12)
        }
    }
}
