import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Tune strategy thresholds by Metropolis-Hastings against a backtest objective and summarize the posterior.",
        discussion: """
            The posterior over the --tune ranges is exp(objective / temperature) under a uniform prior: each \
            chain proposes Gaussian steps (--step times a range's width, reflected at its edges) and accepts them \
            by the Metropolis rule, scoring each proposal with a backtest on the bars before the holdout. \
            Chains start at the values given with --param (else mid-range) and run in parallel from seeds \
            derived from --seed. Prints each parameter's posterior mean, deviation, 5/50/95% quantiles and \
            R-hat, the acceptance rate, and the base, best-visited and posterior-median parameters on the \
            tuning bars and on the holdout (the last --holdout share, traded once after warming up on the rest). \
            A signaling-game strategy's signals are computed once and replayed by every backtest. The best-visited \
            set's Sharpe on the tuning bars is then deflated for the search: its deflated Sharpe ratio among every \
            distinct set the chains tried, and their probability of backtest overfitting (16 blocks). \
            --out writes samples.csv (every iteration) and summary.json.

            Any registered strategy can be tuned (built-in, rules or your own; signaling-game when none is \
            named), with the same run options as backtest: cash, costs, fills, risk limits, exits, sizing, \
            schedule and warm-up apply to every backtest of the tuning and of the holdout. A rule's \
            $parameter is tuned like any other; when --param does not give it, its base value is the \
            middle of its range.

            Examples:
              peregrine tune --data ../shared/data/orcl_daily.csv --strategy signaling-game --tune min_confidence=0..0.3 --tune min_prob_up=0.5..0.7
              peregrine tune --data prices.csv --strategy rsi-bollinger --tune oversold=15..40 --tune rsi=5..30:int --objective sortino --samples 500 --out tune
              peregrine tune --data prices.csv --rule 'entry=rsi(close, 14) < $low' --rule 'exit=rsi(close, 14) > $high' --tune low=20..35 --tune high=60..80 --commission bps:5 --risk default
            """
    )

    @OptionGroup var dataOptions: DataOptions

    /// The strategy (signaling-game unless named) and how each backtest runs; a `--param` of a tuned
    /// parameter is where the chains start.
    @OptionGroup var runOptions: RunOptions

    @Option(name: .customLong("tune"), help: ArgumentHelp("Parameter to tune and its range, repeatable; :int rounds it.",
                                                          valueName: "name=low..high[:int]"))
    var tuned: [String] = []

    @Option(help: ArgumentHelp("sharpe, sortino, calmar, total_return, final_equity or profit_factor.", valueName: "objective"))
    var objective: String = "sharpe"

    @Option(help: "Kept samples per chain.")
    var samples: Int = 300

    @Option(help: "Iterations per chain discarded before the kept samples.")
    var burnIn: Int = 100

    @Option(help: "Chains (run in parallel).")
    var chains: Int = 2

    @Option(help: "Temperature: lower concentrates the posterior on the best values.")
    var temperature: Double = 0.1

    @Option(help: "Proposal step as a share of each range's width.")
    var step: Double = 0.1

    @Option(help: "Seed of the chains.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Share of the bars, at the end, left out of tuning and traded once at the end.", valueName: "fraction"))
    var holdout: Double = 0.3

    @Option(help: ArgumentHelp("Folder for samples.csv and summary.json.", valueName: "dir"))
    var out: String?

    func run() throws {
        // A batch of backtests: freed arrays stay for the next run (see ProcessMemory).
        ProcessMemory.keepFreedBlocksForReuse()
        guard !tuned.isEmpty else { throw ValidationError("give at least one --tune name=low..high") }
        guard samples > 0, burnIn >= 0, chains > 0, chains <= 64 else { throw ValidationError("--samples > 0, --burn-in ≥ 0, --chains in 1...64") }
        guard temperature > 0, temperature.isFinite, step > 0, step <= 1 else { throw ValidationError("--temperature > 0 and --step in (0, 1]") }
        guard holdout >= 0 && holdout < 0.9 else { throw ValidationError("--holdout must be in [0, 0.9)") }
        guard let target = SMACrossSweep.Objective(rawValue: objective) else {
            throw ValidationError("--objective '\(objective)': use " + SMACrossSweep.Objective.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let specs = try tuned.map(Self.parse)
        guard Set(specs.map(\.parameter.name)).count == specs.count else { throw ValidationError("each --tune parameter once") }
        let options = runOptions.defaultingStrategy(to: "signaling-game")
        let strategy = options.strategyName
        // The tuned parameters, at the middle of their ranges, complete the given ones for the check.
        let middles = Dictionary(uniqueKeysWithValues: specs.map { ($0.parameter.name, $0.text($0.middle)) })
        let base = try options.strategyParameters(completion: middles)
        let sources = try dataOptions.load()
        let series = sources.map(\.series)
        var configuration = try options.configuration(series: series)
        configuration.recordDecisions = false
        configuration.corporateActions = try dataOptions.corporateActionsForBooks(symbols: series.map(\.instrument.symbol))
        var settings = MetropolisTuner.Settings()
        settings.samples = samples
        settings.burnIn = burnIn
        settings.chains = chains
        settings.temperature = temperature
        settings.step = step
        settings.seed = seed
        let tuning = StrategyTuning(strategy: strategy, base: base, tuned: specs, objective: target, series: series,
                                    configuration: configuration, holdout: holdout)
        let started = Date()
        let report: StrategyTuning.Report
        do { report = try tuning.run(settings: settings) } catch { throw ValidationError(error.message) }
        let seconds = Date().timeIntervalSince(started)
        print("tuned on \(report.tuningBars) bars, holdout \(report.holdoutBars) bars; \(report.chains.evaluations) backtests in "
            + Table.number(seconds) + " s" + (report.replayedSignals ? " (signals computed once, replayed)" : ""))
        print("acceptance rate \(Table.percent(report.chains.acceptanceRate)), \(chains) chains x (\(burnIn) burn-in + \(samples) kept)")
        print("")
        print("parameter             mean      sd        p5        median    p95       r-hat")
        for m in report.chains.marginals {
            print(([m.name] + [m.mean, m.standardDeviation, m.p5, m.median, m.p95, m.rHat].map { Table.number($0) })
                .enumerated().map { $0.element.padding(toLength: $0.offset == 0 ? 22 : 10, withPad: " ", startingAt: 0) }.joined())
        }
        print("")
        print("set       \(objective) (tuning)   \(objective) (holdout)   holdout return   parameters")
        for e in report.evaluations {
            let held = e.holdout.map { Table.percent($0.metrics.returns.totalReturn) } ?? "-"
            print(e.label.padding(toLength: 10, withPad: " ", startingAt: 0)
                + Table.number(e.tuningObjective).padding(toLength: objective.count + 13, withPad: " ", startingAt: 0)
                + Table.number(e.holdoutObjective).padding(toLength: objective.count + 14, withPad: " ", startingAt: 0)
                + held.padding(toLength: 17, withPad: " ", startingAt: 0) + tunedText(e.parameters, specs))
        }
        // The best visited set was chosen among every distinct set the chains tried: its Sharpe on the
        // tuning bars, deflated for that search.
        var table = Table()
        SignificanceOutput.add(report.significance, to: &table)
        print("")
        print(table.render())
        guard let out else { return }
        do {
            try write(report, strategy: strategy, specs: specs, seconds: seconds, to: out)
        } catch { throw CLIFailure("\(error)") }
        print("wrote \(out)/samples.csv, summary.json")
    }

    private func tunedText(_ parameters: StrategyParameters, _ specs: [StrategyTuning.Tuned]) -> String {
        specs.map { "\($0.parameter.name)=\(parameters.values[$0.parameter.name] ?? "default")" }.joined(separator: " ")
    }

    /// `name=low..high[:int]`.
    static func parse(_ text: String) throws -> StrategyTuning.Tuned {
        let failure = ValidationError("--tune '\(text)': expected name=low..high or name=low..high:int, e.g. min_prob_up=0.5..0.7")
        guard let equals = text.firstIndex(of: "=") else { throw failure }
        let name = String(text[..<equals])
        var range = String(text[text.index(after: equals)...])
        var integer = false
        if range.hasSuffix(":int") {
            integer = true
            range.removeLast(4)
        }
        let bounds = range.components(separatedBy: "..")
        guard !name.isEmpty, bounds.count == 2, let low = Double(bounds[0]), let high = Double(bounds[1]), low.isFinite, high.isFinite,
              low < high else { throw failure }
        return StrategyTuning.Tuned(MetropolisTuner.Parameter(name: name, range: low...high), integer: integer)
    }

    private func write(_ report: StrategyTuning.Report, strategy: String, specs: [StrategyTuning.Tuned], seconds: Double,
                       to out: String) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let csv = try TextFileWriter(path: out + "/samples.csv")
        try csv.writeLine((["chain", "iteration", "burn_in"] + specs.map(\.parameter.name) + [objective, "accepted"]).joined(separator: ","))
        for s in report.chains.samples {
            try csv.writeLine(([String(s.chain), String(s.iteration), s.iteration < burnIn ? "1" : "0"] + s.values.map { "\($0)" }
                + ["\(s.objective)", s.accepted ? "1" : "0"]).joined(separator: ","))
        }
        try csv.close()
        var json = JSONObject()
        json.set("strategy", strategy)
        json.set("objective", objective)
        json.set("tuning_bars", report.tuningBars)
        json.set("holdout_bars", report.holdoutBars)
        json.set("chains", chains)
        json.set("samples_per_chain", samples)
        json.set("burn_in", burnIn)
        json.set("temperature", temperature)
        json.set("seed", Int(seed))
        json.set("acceptance_rate", report.chains.acceptanceRate)
        json.set("backtests", report.chains.evaluations)
        json.set("run_seconds", seconds)
        for m in report.chains.marginals {
            var o = JSONObject()
            o.set("mean", m.mean)
            o.set("sd", m.standardDeviation)
            o.set("p5", m.p5)
            o.set("median", m.median)
            o.set("p95", m.p95)
            o.set("r_hat", m.rHat)
            json.set("posterior_" + m.name, o)
        }
        for e in report.evaluations {
            var o = JSONObject()
            o.set("parameters", tunedText(e.parameters, specs))
            o.set("tuning_" + objective, e.tuningObjective)
            o.set("holdout_" + objective, e.holdoutObjective)
            if let held = e.holdout { o.set("holdout_total_return", held.metrics.returns.totalReturn) }
            json.set(e.label, o)
        }
        var significance = JSONObject()
        SignificanceOutput.add(report.significance, to: &significance)
        json.set("significance", significance)
        try TextFileWriter.write(json.render() + "\n", to: out + "/summary.json")
    }
}
