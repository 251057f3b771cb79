import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineModels
import PeregrineResearch
import PeregrineStrategies
import Testing

/// A sweep's significance is built from each combination's own per-period returns: the kernel path
/// and the sma-cross fast path summarize the same blocks of bars, and the deflated Sharpe of the
/// chosen combination is that of its own backtest's returns.
@Suite struct SweepSignificanceTests {
    @Test func fastPathAndKernelSummarizeTheSameBlocks() throws {
        let series = [SyntheticMarket.series(bars: 3_001, seed: 21, interval: Timestamp.nanosPerDay)]
        var configuration = BacktestConfiguration()
        configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
        let grid = try StrategyGrid(axes: ["fast=3..30:3", "slow=20..100:20"], constraints: ["fast<slow"])
        let base = StrategyParameters(["quantity": "100"])
        var fast = SMACrossFastPath(strategy: "sma-cross", base: base, grid: grid, series: series, configuration: configuration)
        #expect(fast.refusal == nil)
        fast.significanceBlocks = 10
        let viaFastPath = fast.run(.grid, candidates: grid.combinations, objective: .sharpe, threads: 2).results
        var sweep = StrategySweep(strategy: "sma-cross", base: base, series: series, configuration: configuration)
        sweep.significanceBlocks = 10
        let viaKernel = sweep.run(grid.combinations, threads: 2)
        #expect(viaFastPath.count == viaKernel.count)
        var sold = 0
        for (a, b) in zip(viaFastPath, viaKernel) {
            #expect(a.values == b.values)
            #expect(a.blockMoments.count == 10 && b.blockMoments.count == 10)
            for (x, y) in zip(a.blockMoments, b.blockMoments) {
                #expect(x.count == y.count)
                // Relative to the block's scale: the returns of 100 shares on a million are small.
                let scale = y.sumOfSquares.squareRoot()
                #expect(abs(x.sum - y.sum) <= 1e-9 * scale, "\(a.text)")
                #expect(abs(x.sumOfSquares - y.sumOfSquares) <= 1e-9 * y.sumOfSquares, "\(a.text)")
                #expect(abs(x.sumOfCubes - y.sumOfCubes) <= 1e-9 * scale * scale * scale, "\(a.text)")
                #expect(abs(x.sumOfFourthPowers - y.sumOfFourthPowers) <= 1e-9 * y.sumOfFourthPowers, "\(a.text)")
            }
            sold += a.roundTrips
        }
        #expect(sold > 100)
        // The blocks cover every bar: 3,001 bars in ten blocks, the first one bar longer.
        #expect(viaKernel[0].blockMoments.map(\.count) == [301] + Array(repeating: 300, count: 9))
    }

    @Test func deflatedSharpeIsThatOfTheChosenCombinationsOwnReturns() throws {
        let series = [SyntheticMarket.series(bars: 1_200, seed: 5, interval: Timestamp.nanosPerDay)]
        let configuration = BacktestConfiguration()
        let grid = try StrategyGrid(axes: ["fast=2..20:2", "slow=20..80:10"], constraints: ["fast<slow"])
        let sweep = StrategySweep(strategy: "sma-cross", base: StrategyParameters(["quantity": "100"]), series: series,
                                  configuration: configuration)
        let results = sweep.run(grid.combinations, threads: 2)
        let ranked = StrategySweep.ranked(results, by: .sharpe)
        let significance = SweepSignificance(results: results, chosen: ranked.first, maximumSplits: 200)
        let own = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: sweep.parameters(ranked[0].values),
                                                       series: series, configuration: configuration)
        let returns = own.equity.periodReturns(initial: own.metrics.initialEquity)
        let moments = ReturnMoments(returns)
        let deflated = try #require(significance.deflated)
        #expect(significance.trials == results.count)
        #expect(deflated.trials == results.count)
        #expect(abs(deflated.best.sharpe - moments.sharpePerPeriod) < 1e-9)
        #expect(abs(deflated.best.sharpe * own.periodsPerYear.squareRoot() - own.metrics.returns.sharpe) < 1e-9)
        #expect(abs(deflated.best.skewness - own.metrics.returns.skewness) < 1e-6)
        #expect(abs(deflated.best.kurtosis - own.metrics.returns.kurtosis) < 1e-6)
        // The variance is that of every combination's Sharpe per bar.
        let sharpes = results.map { $0.blockMoments.reduce(ReturnMoments(), +).sharpePerPeriod }
        #expect(abs(deflated.sharpeVariance - DeflatedSharpeRatio.sampleVariance(sharpes)) < 1e-15)
        let overfitting = try #require(significance.overfitting)
        #expect(overfitting.trials == results.count && overfitting.splits == 200)
        // The gate refuses a chosen result whose deflated Sharpe falls short, and names it.
        var gate = ValidationGate()
        gate.minimumDeflatedSharpe = 1
        let verdict = gate.judge(own, deflated: deflated)
        #expect(verdict.failures.contains { $0.hasPrefix("deflated Sharpe") && $0.hasSuffix("over \(results.count) trials") })
        gate.minimumDeflatedSharpe = 0
        #expect(!gate.judge(own, deflated: deflated).failures.contains { $0.hasPrefix("deflated Sharpe") })
    }
}
