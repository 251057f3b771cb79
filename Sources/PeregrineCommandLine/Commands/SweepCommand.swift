import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStorage
import PeregrineStrategies
#if canImport(Glibc)
import Glibc
#endif

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every parameter combination of a strategy, on all cores, and rank them.",
        discussion: """
            Any registered strategy sweeps (built-in, rules or your own), on one instrument or a folder run as one \
            portfolio, with the same run options as backtest (cash, costs, fills, risk, exits, sizing, schedule, \
            calendar). Each combination is then an ordinary backtest in the event-driven kernel and equals its own \
            backtest to the last unit; combinations run in parallel on all cores. A grid axis is name=from..to[:step] \
            (whole numbers or decimals) or name=a,b,c; every name must be a parameter the strategy declares.

            sma-cross on one instrument with next-open fills, a fixed quantity and only a commission model takes a \
            fast path that applies the kernel's rules to one column of prefix sums and equals the kernel to the last \
            unit (every bar is taken to be tradeable); --path kernel runs the kernel instead.

            --search picks the combinations: grid (all), random:N (a seeded sample) or halving[:ETA[:RUNGS]] (all \
            combinations on the first part of the data, the best 1/ETA kept for a longer part, and so on, the \
            survivors on all of it). Next to the best result the sweep prints how much to believe it: the deflated \
            Sharpe ratio (the probability that its Sharpe beats what the best of this many trials would show by luck, \
            given the spread of their Sharpes, with skew and kurtosis), and the probability of backtest overfitting by \
            combinatorially symmetric cross-validation: every combination's per-bar returns cut into --pbo-blocks \
            blocks, each half of the blocks in turn in sample, the in-sample best ranked out of sample. The best must \
            also pass the validation gate's deflated-Sharpe threshold (--min-deflated-sharpe, 0.95) to be called significant. Writes results.csv (one row per combination run on all the data), summary.json \
            and, for two parameters, heatmap.svg; --store keeps every row in the SQLite store. A progress bar shows \
            on a terminal.

            Across machines: --shard K/N runs the Kth of N slices of the grid or of a random search (K counted from 0; \
            the same seed gives every shard the same sample) and writes its rows to --store under one sweep id, \
            --sweep-id or else derived from the options, the bars and N, so every shard started with the same command \
            agrees on it. --shard auto/N takes K from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or \
            SLURM_ARRAY_TASK_ID less SLURM_ARRAY_TASK_MIN (a Slurm job array). A shard run again replaces its rows in \
            one transaction; a shard killed half way leaves none. `peregrine sweep collect` then ranks every row and \
            writes the one-machine sweep's results.csv and summary.json. Successive halving cannot be sharded.

            Examples:
              peregrine sweep --data prices.csv --grid fast=5..50:1 --grid slow=20..200:2 --constraint "fast<slow" --objective sharpe --out sweep
              peregrine sweep --data prices.csv --strategy rsi-bollinger --grid oversold=20..35:5 --grid width=1.5..2.5:0.5 --risk default
              peregrine sweep --data prices.csv --rule "entry=crosses_above(sma(close, $fast), sma(close, $slow))" --rule "exit=crosses_below(sma(close, $fast), sma(close, $slow))" --grid fast=5..20:5 --grid slow=30..90:30
              peregrine sweep --data prices.csv --strategy signaling-game --grid min_prob_up=0.50..0.70:0.05 --grid kelly=0.1,0.25,0.5
              peregrine sweep --data prices.csv --grid fast=2..200 --grid slow=10..1000:2 --search halving:4 --store sweeps.sqlite
              JOB_COMPLETION_INDEX=2 peregrine sweep --data prices.csv --grid fast=5..50 --grid slow=20..200:2 --shard auto/4 --store sweeps.sqlite
              peregrine sweep collect --store sweeps.sqlite --sweep sweep-3f2a9c0d1e4b5a67 --out sweep
            """,
        subcommands: [SweepCollectCommand.self]
    )

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var runOptions: RunOptions

    @OptionGroup var output: SweepOutputOptions

    @OptionGroup var gateOptions: GateOptions

    @Option(name: .customLong("grid"), help: ArgumentHelp("A parameter range or list, repeatable: fast=5..50:1, width=1.5..2.5:0.5, "
        + "short=true,false (default for sma-cross: fast=5..50:1 and slow=20..200:2).", valueName: "name=from..to[:step]"))
    var grids: [String] = []

    @Option(name: .customLong("constraint"), help: ArgumentHelp("A relation between parameters, repeatable: fast<slow.", valueName: "a<b"))
    var constraints: [String] = []

    @Option(help: ArgumentHelp("sharpe, sortino, calmar, total_return, final_equity or profit_factor.", valueName: "objective"))
    var objective: String = "sharpe"

    @Option(help: ArgumentHelp("grid, random:N or halving[:ETA[:RUNGS]].", valueName: "search"))
    var search: String = "grid"

    @Option(help: "Seed of random search.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("auto (the sma-cross fast path where it applies, the kernel otherwise), kernel or fast.", valueName: "path"))
    var path: String = "auto"

    @Option(help: ArgumentHelp("Worker threads (default: every core).", valueName: "n"))
    var threads: Int?

    @Option(help: ArgumentHelp("Blocks of bars for the probability of backtest overfitting (even, 2 to 32; 0 for none).",
                               valueName: "S"))
    var pboBlocks: Int = SweepSignificance.defaultBlocks

    @Option(help: ArgumentHelp("Most cross-validation splits to take (a seeded sample when C(S, S/2) is larger).", valueName: "n"))
    var pboSplits: Int = SweepSignificance.defaultMaximumSplits

    @Option(help: ArgumentHelp("The validation gate's least deflated Sharpe (a probability; 0.95 unless --gate's file sets it) for the best to count as significant.",
                               valueName: "p"))
    var minDeflatedSharpe: Double?

    @Option(help: ArgumentHelp("Run only this slice of the sweep and store its rows (needs --store): K/N with K from 0 to N - 1, "
        + "or auto/N for K from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID.", valueName: "K/N"))
    var shard: String?

    @Option(name: .customLong("sweep-id"), help: ArgumentHelp("With --shard: the id the shards store their rows under "
        + "(default: derived from the options, the bars and N).", valueName: "id"))
    var sweepID: String?

    func run() throws {
        // A batch of backtests: freed arrays stay for the next run (see ProcessMemory).
        ProcessMemory.keepFreedBlocksForReuse()
        _ = try deflatedSharpeThreshold()  // a bad --gate file is refused before the sweep
        guard let target = SMACrossSweep.Objective(rawValue: objective) else {
            throw ValidationError("--objective '\(objective)': use " + SMACrossSweep.Objective.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard ["auto", "kernel", "fast"].contains(path) else { throw ValidationError("--path '\(path)': use auto, kernel or fast") }
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        guard workers >= 1 && workers <= 1024 else { throw ValidationError("--threads must be from 1 to 1024") }
        guard pboBlocks == 0 || (pboBlocks >= 2 && pboBlocks <= 32 && pboBlocks % 2 == 0) else {
            throw ValidationError("--pbo-blocks \(pboBlocks): use an even number from 2 to 32, or 0 for none")
        }
        if let minDeflatedSharpe, !(minDeflatedSharpe >= 0 && minDeflatedSharpe <= 1) { throw ValidationError("--min-deflated-sharpe must be in [0, 1]") }
        guard pboSplits >= 2 && pboSplits <= 1_000_000 else { throw ValidationError("--pbo-splits must be from 2 to 1000000") }
        let strategy = runOptions.strategyName
        let (grid, candidates, base) = try runOptions.grid(axes: grids, constraints: constraints,
                                                           defaultAxes: ["fast=5..50:1", "slow=20..200:2"])
        let plan: SweepSearch
        do { plan = try SweepSearch(parsing: search, seed: seed) } catch { throw ValidationError(error.description) }
        let sources = try dataOptions.load()
        let series = sources.map(\.series).filter { !$0.isEmpty }
        guard !series.isEmpty else { throw CLIFailure("no bars to run on") }
        var configuration = try runOptions.configuration(series: series)
        configuration.corporateActions = try dataOptions.corporateActionsForBooks(symbols: series.map(\.instrument.symbol))
        var fastPath = SMACrossFastPath(strategy: strategy, base: base, grid: grid, series: series, configuration: configuration)
        fastPath.significanceBlocks = pboBlocks
        if path == "fast" && fastPath.refusal != nil { throw ValidationError("--path fast: \(fastPath.refusal!)") }
        let useFastPath = path != "kernel" && fastPath.refusal == nil
        if let shard {
            let sweep: ShardedSweep
            do {
                sweep = try ShardedSweep(strategy: strategy, base: base, candidates: candidates, search: plan, series: series,
                                         configuration: configuration, fastPath: useFastPath ? fastPath : nil, objective: target,
                                         significanceBlocks: pboBlocks)
            } catch { throw ValidationError(error.description) }
            try runShard(shard, of: sweep, grid: grid, series: series, objective: target, search: plan)
            return
        }
        guard sweepID == nil else { throw ValidationError("--sweep-id names the sweep of a --shard run; give --shard K/N too") }

        let start = Date()
        let bar = isatty(2) != 0 ? ProgressBar(total: candidates.count) : nil
        var report: (@Sendable (Int) -> Void)?
        if let bar { report = { @Sendable done in bar.show(done) } }
        let outcome: (results: [StrategySweep.Result], rungs: [SweepSearch.Rung])
        if useFastPath {
            outcome = fastPath.run(plan, candidates: candidates, objective: target, threads: workers, progress: report)
        } else {
            var sweep = StrategySweep(strategy: strategy, base: base, series: series, configuration: configuration)
            sweep.significanceBlocks = pboBlocks
            outcome = sweep.run(plan, candidates: candidates, objective: target, threads: workers, progress: report)
        }
        bar?.finish()
        let seconds = Date().timeIntervalSince(start)
        let results = outcome.results
        let rungs = outcome.rungs
        for failed in results.compactMap(\.failure).prefix(1) { Console.error("refused combination: \(failed)") }
        let ranked = StrategySweep.ranked(results, by: target).filter { $0.value(of: target).isFinite }
        let evaluated = rungs.isEmpty ? results.count : rungs.reduce(0) { $0 + $1.candidates }
        let bars = series.map(\.count).max() ?? 0
        print("\(plan) (\(useFastPath ? "sma-cross fast path" : "event-driven kernel, \(workers) threads")): \(evaluated) combination runs "
            + "over \(bars) bars (of \(candidates.count) in the grid) in \(Table.number(seconds, places: 3)) s "
            + "(\(Int(Double(evaluated) / max(seconds, 1e-9))) runs/s)")
        for (index, rung) in rungs.enumerated() {
            print("  rung \(index + 1): \(rung.candidates) combinations on the first \(rung.bars) bars")
        }
        let significance = Self.printRanking(ranked, of: results, rungs: rungs, names: grid.axes.map(\.name), objective: target, top: output.top,
                                             pboBlocks: pboBlocks, pboSplits: pboSplits, seed: seed, minDeflatedSharpe: try deflatedSharpeThreshold())
        if let store = output.store {
            do {
                let rows = results.map {
                    SweepRow(parameters: $0.text, trades: $0.roundTrips, fills: $0.fills,
                             finalEquity: $0.finalEquity, totalReturn: $0.totalReturn, sharpe: $0.sharpe, sortino: $0.sortino,
                             maxDrawdown: $0.maxDrawdown, calmar: $0.calmar, profitFactor: $0.profitFactor)
                }
                let runID = try TradingStore(path: store).recordSweep(
                    strategy: strategy, description: "\(plan) objective=\(target.rawValue) " + grids.joined(separator: " "),
                    bars: bars, initialEquity: configuration.initialCash, best: ranked.first?.finalEquity, rows: rows,
                    started: WallClock.timestamp(start))
                print("stored as run \(runID) in \(StoreLocation.redacted(store))")
            } catch { throw CLIFailure.store("--store", store, error) }
        }
        guard let out = output.out else { return }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try Self.write(results, ranked: ranked, strategy: strategy, objective: target, grid: grid, bars: bars, seconds: seconds,
                           search: plan, rungs: rungs, significance: significance, to: out)
        } catch { throw CLIFailure("\(error)") }
        print("wrote \(out)/results.csv, summary.json" + (grid.axes.count == 2 ? ", heatmap.svg" : ""))
    }

    /// The least deflated Sharpe for the best to count as significant: --min-deflated-sharpe, else the
    /// --gate file's, else the gate's default.
    func deflatedSharpeThreshold() throws -> Double {
        try minDeflatedSharpe ?? gateOptions.validationGate().minimumDeflatedSharpe
    }

    /// Prints the first `top` of the ranking and the significance of its best; returns the significance
    /// (nil without blocks). `results` are every combination run on all the data, in the sweep's order.
    static func printRanking(_ ranked: [StrategySweep.Result], of results: [StrategySweep.Result], rungs: [SweepSearch.Rung],
                             names: [String], objective target: SMACrossSweep.Objective, top: Int, pboBlocks: Int, pboSplits: Int,
                             seed: UInt64, minDeflatedSharpe: Double) -> SweepSignificance? {
        let widths = names.map { max($0.count, 6) + 2 }
        func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0) }
        print(cell("rank", 6) + zip(names, widths).map { cell($0, $1) }.joined() + cell(target.rawValue, 14) + cell("final equity", 16)
            + "trades")
        for (rank, r) in ranked.prefix(top).enumerated() {
            print(cell(String(rank + 1), 6) + zip(names, widths).map { cell(r.values[$0] ?? "", $1) }.joined()
                + cell(Table.number(r.value(of: target), places: 4), 14) + cell(r.finalEquity.formatted(places: 2), 16) + "\(r.roundTrips)")
        }
        let tried = rungs.first?.candidates ?? results.filter { $0.failure == nil }.count
        let significance = pboBlocks > 0
            ? SweepSignificance(results: results, chosen: ranked.first, trials: tried, maximumSplits: pboSplits, seed: seed) : nil
        if let significance, let best = ranked.first {
            var table = Table()
            table.add("best", best.text + ", sharpe (annualized) " + Table.number(best.sharpe))
            SignificanceOutput.add(significance, to: &table)
            if let deflated = significance.deflated {
                var gate = ValidationGate()
                gate.minimumDeflatedSharpe = minDeflatedSharpe
                table.add("significant", deflated.probability >= gate.minimumDeflatedSharpe
                    ? "yes (deflated sharpe at least \(gate.minimumDeflatedSharpe))" : "no (deflated sharpe below \(gate.minimumDeflatedSharpe))")
            }
            print("")
            print(table.render())
        }
        return significance
    }

    static func write(_ results: [StrategySweep.Result], ranked: [StrategySweep.Result], strategy: String,
                      objective: SMACrossSweep.Objective, grid: StrategyGrid, bars: Int, seconds: Double, search: SweepSearch = .grid,
                      rungs: [SweepSearch.Rung] = [], significance: SweepSignificance? = nil, to folder: String) throws {
        let names = grid.axes.map(\.name)
        let csv = try TextFileWriter(path: folder + "/results.csv")
        try csv.writeLine((names + ["trade_count", "open_trade_count", "fill_count", "final_equity", "total_return", "sharpe", "sortino",
                                    "max_drawdown", "calmar", "profit_factor"]).map(CSVField.escape).joined(separator: ","))
        for r in results {
            try csv.writeLine((names.map { CSVField.escape(r.values[$0] ?? "") } + [String(r.roundTrips), String(r.openTrades),
                               String(r.fills), r.finalEquity.formatted(places: 4), "\(r.totalReturn)", "\(r.sharpe)", "\(r.sortino)",
                               "\(r.maxDrawdown)", "\(r.calmar)", "\(r.profitFactor)"]).joined(separator: ","))
        }
        try csv.close()
        var summary = JSONObject()
        summary.set("strategy", strategy)
        summary.set("objective", objective.rawValue)
        summary.set("combinations", results.count)
        summary.set("bars", bars)
        if let best = ranked.first {
            var b = JSONObject()
            for name in names {
                if let value = best.values[name] {
                    if let number = Int(value) { b.set(name, number) } else if let number = Double(value) { b.set(name, number) } else { b.set(name, value) }
                }
            }
            if objective != .finalEquity { b.set(objective.rawValue, best.value(of: objective)) }
            b.set("final_equity", decimal: best.finalEquity.description)
            b.set("trade_count", best.roundTrips)
            summary.set("best", b)
        }
        if let significance {
            var block = JSONObject()
            SignificanceOutput.add(significance, to: &block)
            summary.set("significance", block)
        }
        summary.set("run_seconds", seconds)
        summary.set("search", search.description)
        if !rungs.isEmpty {
            summary.set("rungs", rungs.map { "\($0.candidates) on \($0.bars) bars" }.joined(separator: ", "))
        }
        try TextFileWriter.write(summary.render() + "\n", to: folder + "/summary.json")
        guard grid.axes.count == 2 else { return }
        let xs = grid.axes[0].values.compactMap { Int($0) }, ys = grid.axes[1].values.compactMap { Int($0) }
        guard xs.count == grid.axes[0].values.count, ys.count == grid.axes[1].values.count else { return }
        let byPair = Dictionary(results.map { ("\($0.values[names[0]]!),\($0.values[names[1]]!)", $0.value(of: objective)) }) { a, _ in a }
        let svg = HeatmapSVG.render(xName: names[0], yName: names[1], xValues: xs, yValues: ys,
                                    value: { byPair["\($0),\($1)"] }, title: "\(strategy) \(objective.rawValue)")
        try TextFileWriter.write(svg, to: folder + "/heatmap.svg")
    }
}
