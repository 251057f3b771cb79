import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies
import Testing

@Suite struct MetropolisTunerTests {
    let box = [MetropolisTuner.Parameter(name: "x", range: 0...1), MetropolisTuner.Parameter(name: "y", range: 0...1)]

    /// exp(objective / T) is a Gaussian with means 0.3, 0.6 and deviations 0.05, 0.1 (well inside the box),
    /// so the chains' moments must match those.
    @Test func theChainsSampleAKnownPosterior() {
        var settings = MetropolisTuner.Settings()
        settings.samples = 6_000
        settings.burnIn = 500
        settings.chains = 4
        settings.temperature = 0.5
        settings.step = 0.08
        settings.seed = 11
        let t = settings.temperature
        let result = MetropolisTuner(parameters: box, settings: settings).run { v in
            -t * ((v[0] - 0.3) * (v[0] - 0.3) / (2 * 0.05 * 0.05) + (v[1] - 0.6) * (v[1] - 0.6) / (2 * 0.1 * 0.1))
        }
        let x = result.marginals[0], y = result.marginals[1]
        #expect(abs(x.mean - 0.3) < 0.01 && abs(y.mean - 0.6) < 0.02, "\(x) \(y)")
        #expect(abs(x.standardDeviation - 0.05) < 0.006 && abs(y.standardDeviation - 0.1) < 0.012, "\(x) \(y)")
        // Normal quantiles: mean ± 1.645 sd.
        #expect(abs(x.p5 - (0.3 - 1.645 * 0.05)) < 0.015 && abs(x.p95 - (0.3 + 1.645 * 0.05)) < 0.015, "\(x)")
        #expect(x.rHat < 1.05 && y.rHat < 1.05)
        #expect(result.acceptanceRate > 0.1 && result.acceptanceRate < 0.9)
        #expect(result.samples.count == 4 * 6_500 && result.evaluations == result.samples.count)
        #expect(abs(result.best.values[0] - 0.3) < 0.05 && abs(result.best.values[1] - 0.6) < 0.1)
    }

    /// A flat objective gives the uniform distribution on the box: reflection at the edges keeps the proposal symmetric.
    @Test func aFlatObjectiveSamplesTheBoxUniformly() {
        var settings = MetropolisTuner.Settings()
        settings.samples = 20_000
        settings.burnIn = 0
        settings.chains = 2
        settings.step = 0.3
        let result = MetropolisTuner(parameters: [MetropolisTuner.Parameter(name: "x", range: 2...4)], settings: settings).run { _ in 0 }
        let x = result.marginals[0]
        #expect(abs(x.mean - 3) < 0.03 && abs(x.standardDeviation - 2 / 12.0.squareRoot()) < 0.02, "\(x)")
        #expect(abs(x.p5 - 2.1) < 0.04 && abs(x.p95 - 3.9) < 0.04, "\(x)")
        #expect(result.samples.allSatisfy { (2...4).contains($0.values[0]) })
        #expect(result.acceptanceRate == 1)
    }

    @Test func unscoredRegionsAreNeverEntered() {
        var settings = MetropolisTuner.Settings()
        settings.samples = 2_000
        let result = MetropolisTuner(parameters: box, settings: settings).run { v in v[0] > 0.5 ? .nan : v[1] }
        #expect(result.samples.allSatisfy { $0.values[0] <= 0.5 })
        #expect(result.samples.contains { !$0.accepted })
    }

    @Test func theSeedFixesTheChainsWhateverTheirNumber() {
        var settings = MetropolisTuner.Settings()
        settings.samples = 300
        settings.seed = 5
        let objective: @Sendable ([Double]) -> Double = { v in -abs(v[0] - 0.2) - abs(v[1] - 0.7) }
        let two = MetropolisTuner(parameters: box, settings: settings).run(objective: objective)
        let again = MetropolisTuner(parameters: box, settings: settings).run(objective: objective)
        settings.chains = 1
        let one = MetropolisTuner(parameters: box, settings: settings).run(objective: objective)
        #expect(two.samples == again.samples)
        #expect(one.samples == two.samples.filter { $0.chain == 0 })
        settings.seed = 6
        #expect(MetropolisTuner(parameters: box, settings: settings).run(objective: objective).samples != one.samples)
    }

    @Test func reflectionMirrorsAtTheEdges() {
        #expect(MetropolisTuner.reflect(-0.25, into: 0...1) == 0.25)
        #expect(MetropolisTuner.reflect(1.25, into: 0...1) == 0.75)
        #expect(MetropolisTuner.reflect(2.5, into: 0...1) == 0.5)
        #expect(MetropolisTuner.reflect(0.4, into: 0...1) == 0.4)
    }

    /// Replaying recorded signals changes nothing: the same fills and equity as running the engine.
    @Test func aSignalTapeReplaysTheEngineExactly() throws {
        let series = SyntheticMarket.series(bars: 700, seed: 8, interval: Timestamp.nanosPerDay)
        let base = StrategyParameters(["min_prob_up": "0.52", "min_confidence": "0.02"])
        let tape = try #require(try StrategyRegistry.shared.signalTape(strategy: "signaling-game", parameters: base, series: [series]))
        #expect(try StrategyRegistry.shared.signalTape(strategy: "sma-cross", parameters: StrategyParameters(), series: [series]) == nil)
        for threshold in ["0.5", "0.55", "0.6"] {
            let parameters = StrategyParameters(["min_prob_up": threshold, "min_confidence": "0.02"])
            let live = try StrategyRegistry.shared.backtest(strategy: "signaling-game", parameters: parameters, series: [series],
                                                    configuration: BacktestConfiguration())
            let replayed = try StrategyRegistry.shared.backtest(strategy: "signaling-game", parameters: parameters, series: [series],
                                                        configuration: BacktestConfiguration(), signalTape: tape)
            #expect(live.fills == replayed.fills && live.finalEquity == replayed.finalEquity)
            #expect(live.decisions == replayed.decisions)
            if threshold == "0.5" { #expect(live.fills.count > 10) }
        }
        // A tape recorded with other engine settings is not used (the engine runs).
        let other = StrategyParameters(["min_prob_up": "0.52", "horizon": "3"])
        let direct = try StrategyRegistry.shared.backtest(strategy: "signaling-game", parameters: other, series: [series], configuration: BacktestConfiguration())
        let offered = try StrategyRegistry.shared.backtest(strategy: "signaling-game", parameters: other, series: [series],
                                                   configuration: BacktestConfiguration(), signalTape: tape)
        #expect(direct.fills == offered.fills)
    }

    /// Tuning a real strategy: every backtest the chain scored is the plain backtest of those values,
    /// the best visited beats or equals the base, and the holdout runs trade only after the tuning bars.
    @Test func tuningSignalThresholdsScoresRealBacktests() throws {
        let series = SyntheticMarket.series(bars: 900, seed: 8, interval: Timestamp.nanosPerDay)
        let tuning = StrategyTuning(strategy: "signaling-game", base: StrategyParameters(["min_confidence": "0.05"]),
                                    tuned: [.init(.init(name: "min_confidence", range: 0...0.3)), .init(.init(name: "min_prob_up", range: 0.5...0.7))],
                                    objective: .totalReturn, series: [series], configuration: BacktestConfiguration(), holdout: 0.25)
        var settings = MetropolisTuner.Settings()
        settings.samples = 40
        settings.burnIn = 10
        settings.temperature = 0.01
        settings.seed = 3
        let report = try tuning.run(settings: settings)
        #expect(report.replayedSignals && report.tuningBars == 675 && report.holdoutBars == 225)
        let prefix = series.slice(0..<675)
        for sample in report.chains.samples.filter({ $0.iteration % 17 == 0 }) {
            let direct = try StrategyRegistry.shared.backtest(strategy: "signaling-game", parameters: tuning.parameters(sample.values), series: [prefix],
                                                      configuration: BacktestConfiguration())
            #expect(direct.metrics.returns.totalReturn == sample.objective)
        }
        let byLabel = Dictionary(uniqueKeysWithValues: report.evaluations.map { ($0.label, $0) })
        #expect(byLabel["best"]!.tuningObjective == report.chains.best.objective)
        // The chains start at the base (min_confidence 0.05, min_prob_up at its default 0.55 is not in the base: the centre 0.6).
        #expect(report.chains.samples.filter { $0.iteration == 0 }.allSatisfy { $0.values == [0.05, 0.6] })
        let start = tuning.parameters([0.05, 0.6])
        let atStart = try StrategyRegistry.shared.backtest(strategy: "signaling-game", parameters: start, series: [prefix], configuration: BacktestConfiguration())
        #expect(byLabel["best"]!.tuningObjective >= atStart.metrics.returns.totalReturn)
        #expect(report.chains.marginals.allSatisfy { $0.p5 <= $0.median && $0.median <= $0.p95 })
        let firstHeld = series.timestamps[675]
        for evaluation in report.evaluations {
            let held = try #require(evaluation.holdout)
            #expect(held.equity.count == 225 && held.fills.allSatisfy { $0.timestamp.nanoseconds > firstHeld })
        }
    }

    /// Two instruments on different days: the holdout is cut at one time for both, and no holdout
    /// trade comes before it.
    @Test func instrumentsOnOtherCalendarsSplitAtOneTime() throws {
        let a = SyntheticMarket.series(bars: 600, seed: 8, interval: Timestamp.nanosPerDay, symbol: "AAA")
        var options = SyntheticMarket.Options()
        options.bars = 500
        options.seed = 9
        options.interval = Timestamp.nanosPerDay
        options.symbol = "BBB"
        options.start = CivilDate(year: 2015, month: 6, day: 1)
        let b = SyntheticMarket(options: options).generate()
        let tuning = StrategyTuning(strategy: "sma-cross", base: StrategyParameters(["percent": "0.4"]),
                                    tuned: [.init(.init(name: "fast", range: 3...20), integer: true)], objective: .totalReturn,
                                    series: [a, b], configuration: BacktestConfiguration(), holdout: 0.3)
        var settings = MetropolisTuner.Settings()
        settings.samples = 10
        settings.burnIn = 0
        let report = try tuning.run(settings: settings)
        let times = Array(Set(a.timestamps + b.timestamps)).sorted()
        #expect(report.tuningBars + report.holdoutBars == times.count && report.holdoutBars == Int(Double(times.count) * 0.3))
        let cut = times[report.tuningBars]
        for evaluation in report.evaluations {
            let held = try #require(evaluation.holdout)
            #expect(held.fills.allSatisfy { $0.timestamp.nanoseconds > cut } && held.equity.first!.timestamp.nanoseconds == cut)
            #expect(Set(held.fills.map(\.instrument)).count == 2, "\(evaluation.label)")
        }
        #expect(report.chains.samples.allSatisfy { $0.values[0] >= 3 && $0.values[0] <= 20 })
    }
}
