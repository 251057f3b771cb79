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
        // Only the chosen combination carries skewness and kurtosis on the fast path.
        let chosen = StrategySweep.ranked(viaFastPath, by: .sharpe)[0].values
        for (a, b) in zip(viaFastPath, viaKernel) {
            #expect(a.values == b.values)
            #expect(a.blockMoments.count == 10 && b.blockMoments.count == 10)
            for (x, y) in zip(a.blockMoments, b.blockMoments) {
                #expect(x.count == y.count)
                // Relative to the block's scale: the returns of 100 shares on a million are small.
                let scale = y.sumOfSquares.squareRoot()
                #expect(abs(x.sum - y.sum) <= 1e-9 * scale, "\(a.text)")
                #expect(abs(x.sumOfSquares - y.sumOfSquares) <= 1e-9 * y.sumOfSquares, "\(a.text)")
                if a.values == chosen {
                    #expect(abs(x.sumOfCubes - y.sumOfCubes) <= 1e-9 * scale * scale * scale, "\(a.text)")
                    #expect(abs(x.sumOfFourthPowers - y.sumOfFourthPowers) <= 1e-9 * y.sumOfFourthPowers, "\(a.text)")
                } else {
                    #expect(x.sumOfCubes.isNaN && x.sumOfFourthPowers.isNaN)
                }
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

    /// Walk-forward deflates the stitched out-of-sample Sharpe per bar for the grid's trials, with the
    /// mean over windows of the variance of the in-sample Sharpes; the gate names a shortfall.
    @Test func walkForwardDeflatesTheStitchedSharpeForTheGrid() throws {
        let series = SyntheticMarket.series(bars: 2_500, seed: 23, interval: Timestamp.nanosPerDay)
        let grid = SMACrossSweep.grid(fast: stride(from: 5, through: 20, by: 5), slow: stride(from: 30, through: 90, by: 30))
            .map { ["fast": String($0.fast), "slow": String($0.slow)] }
        var settings = WalkForwardAnalysis.Settings(inSample: 800, outOfSample: 400)
        settings.holdout = 0
        var gate = ValidationGate()
        gate.minimumDeflatedSharpe = 1
        let report = try WalkForwardAnalysis(series: series, grid: grid, settings: settings, periodsPerYear: 252).run(gate: gate)
        let deflated = try #require(report.deflated)
        var previous = settings.initialCash.doubleValue
        let returns = report.equity.map { point -> Double in
            defer { previous = point.1.doubleValue }
            return point.1.doubleValue / previous - 1
        }
        let moments = ReturnMoments(returns)
        #expect(deflated.trials == grid.count)
        #expect(abs(deflated.best.sharpe - moments.sharpePerPeriod) < 1e-12)
        #expect(abs(deflated.best.sharpe - report.statistics.sharpePerPeriod) < 1e-12)
        let variances = report.windows.map { $0.selection.deflated!.sharpeVariance }
        #expect(abs(deflated.sharpeVariance - variances.reduce(0, +) / Double(variances.count)) < 1e-18)
        for window in report.windows {
            #expect(window.selection.trials == grid.count)
            #expect(abs(window.selection.deflated!.best.sharpe * 252.0.squareRoot() - window.inSampleSharpe) < 1e-9)
        }
        let pbo = report.windows.map { $0.selection.overfitting!.probability }
        #expect(abs(report.meanProbabilityOfOverfitting! - pbo.reduce(0, +) / Double(pbo.count)) < 1e-15)
        #expect(report.verdict.failures.contains { $0.hasPrefix("deflated Sharpe") })
        // The tearsheet shows the probabilistic Sharpe of every run and, given them, the deflated Sharpe and PBO.
        let stitched = try #require(report.stitchedResult(initialCash: settings.initialCash))
        var sheet = Tearsheet(result: stitched, series: [series], title: "wf", verdict: report.verdict)
        let plain = sheet.render()
        #expect(plain.contains("probabilistic Sharpe (> 0)") && plain.contains("min track record (95%)"))
        #expect(!plain.contains("deflated Sharpe ("))
        sheet.significance = (report.deflated, report.meanProbabilityOfOverfitting)
        let page = sheet.render()
        let percent = String(Double(Int((deflated.probability * 100 * 100).rounded())) / 100) + "%"
        #expect(page.contains("<b>\(percent)</b><span>deflated Sharpe (\(grid.count) trials)</span>"), "\(percent)")
        #expect(page.contains("probability of overfitting"))
    }

    /// Tune's trials are the distinct parameter sets its chains tried; the chosen set is the best visited.
    @Test func tuningCountsTheDistinctSetsTried() throws {
        let series = SyntheticMarket.series(bars: 1_200, seed: 4, interval: Timestamp.nanosPerDay)
        let tuning = StrategyTuning(strategy: "sma-cross", base: StrategyParameters(["slow": "60"]),
                                    tuned: [.init(.init(name: "fast", range: 2...40), integer: true)], objective: .sharpe,
                                    series: [series], configuration: BacktestConfiguration(), holdout: 0.2)
        var settings = MetropolisTuner.Settings()
        settings.samples = 30
        settings.burnIn = 5
        settings.seed = 2
        let report = try tuning.run(settings: settings)
        let best = try #require(report.evaluations.first { $0.label == "best" })
        // Every integer fast tried is one trial: at most the 39 of the range, at least two.
        #expect(report.significance.trials >= 2 && report.significance.trials <= 39)
        let deflated = try #require(report.significance.deflated)
        #expect(abs(deflated.best.sharpe * 252.0.squareRoot() - best.tuningObjective) < 1e-9)
        #expect(deflated.trials == report.significance.trials)
    }
}
