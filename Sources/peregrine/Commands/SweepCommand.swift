import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStorage
#if canImport(Glibc)
import Glibc
#endif

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every parameter combination of a strategy on one instrument, on all cores, and rank them.",
        discussion: """
            The sma-cross fast path applies the kernel's rules (next-open fills, fixed quantity, long-only,
            commission model) and equals the event-driven backtest to the last unit; every bar is taken to be
            tradeable. --search picks the combinations: grid (all), random:N (a seeded sample) or
            halving[:ETA[:RUNGS]] (successive halving: all combinations on the first part of the data, the best
            1/ETA kept for a longer part, and so on, the survivors on all of it). Writes results.csv (one row
            per combination run on all the data), summary.json (combinations, bars, best, run_seconds, search)
            and, for two parameters, heatmap.svg; --store keeps every row in the SQLite store. A progress bar
            shows on a terminal.

            Examples:
              peregrine sweep --data prices.csv --grid fast=5..50:1 --grid slow=20..200:2 --constraint "fast<slow" --objective sharpe --out sweep
              peregrine sweep --data synthetic:bars=100000 --grid fast=5..30 --grid slow=40..120:5 --objective final_equity
              peregrine sweep --data prices.csv --grid fast=2..200 --grid slow=10..1000:2 --search halving:4 --store sweeps.sqlite
              peregrine sweep --data prices.csv --search random:500 --seed 7 --out sweep
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("Strategy to sweep (sma-cross).", valueName: "name"))
    var strategy: String = "sma-cross"

    @Option(name: .customLong("grid"), help: ArgumentHelp("A parameter range, repeatable: fast=5..50:1.", valueName: "name=from..to[:step]"))
    var grids: [String] = []

    @Option(name: .customLong("constraint"), help: ArgumentHelp("A relation between parameters, repeatable: fast<slow.", valueName: "a<b"))
    var constraints: [String] = []

    @Option(help: ArgumentHelp("sharpe, sortino, calmar, total_return, final_equity or profit_factor.", valueName: "objective"))
    var objective: String = "sharpe"

    @Option(help: "Shares per entry.")
    var quantity: Int = 100

    @Option(help: ArgumentHelp("Starting cash.", valueName: "amount"))
    var cash: String = "1000000"

    @Option(help: ArgumentHelp("Commission model, as for backtest.", valueName: "model"))
    var commission: String = "none"

    @Option(help: ArgumentHelp("grid, random:N or halving[:ETA[:RUNGS]].", valueName: "search"))
    var search: String = "grid"

    @Option(help: "Seed of random search.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Also keep every combination's row in this SQLite store (a run of kind sweep).", valueName: "file"))
    var store: String?

    @Option(help: "Rows of the ranking to print.")
    var top: Int = 10

    @Option(help: ArgumentHelp("Folder for results.csv, summary.json and heatmap.svg.", valueName: "dir"))
    var out: String?

    func run() throws {
        guard strategy == "sma-cross" else { throw ValidationError("sweep runs sma-cross (the strategy with a sweep fast path)") }
        guard let target = SMACrossSweep.Objective(rawValue: objective) else {
            throw ValidationError("--objective '\(objective)': use " + SMACrossSweep.Objective.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let initialCash = Money(cash), initialCash > .zero else { throw ValidationError("--cash must be a positive amount") }
        guard quantity > 0 else { throw ValidationError("--quantity must be positive") }
        let model: CommissionModel
        do { model = try CommissionModel(specification: commission) } catch { throw ValidationError(error.message) }
        let grid: ParameterGrid
        do {
            grid = try ParameterGrid(axes: grids.isEmpty ? ["fast=5..50:1", "slow=20..200:2"] : grids,
                                     constraints: constraints.isEmpty && grids.isEmpty ? ["fast<slow"] : constraints)
        } catch { throw ValidationError(error.description) }
        guard Set(grid.axes.map(\.name)) == ["fast", "slow"] else {
            throw ValidationError("sma-cross sweeps take --grid fast=... and --grid slow=...")
        }
        let candidates = grid.combinations.map { SMACrossSweep.Combination(fast: $0["fast"]!, slow: $0["slow"]!) }
        guard !candidates.isEmpty else { throw ValidationError("no combination meets the constraints") }
        let plan: SweepSearch
        do { plan = try SweepSearch(parsing: search, seed: seed) } catch { throw ValidationError(error.description) }
        let sources = try dataOptions.load()
        guard sources.count == 1 else { throw ValidationError("sweep takes one instrument, got \(sources.count)") }
        let series = sources[0].series
        let periods = BacktestConfiguration.inferredPeriodsPerYear(interval: series.typicalInterval,
                                                                    calendar: series.instrument.assetClass.defaultCalendar)
        let sweep = SMACrossSweep(series: series, quantity: Quantity(quantity), initialCash: initialCash, commission: model,
                                  periodsPerYear: periods)
        let start = Date()
        let bar = isatty(2) != 0 ? ProgressBar(total: candidates.count) : nil
        var report: (@Sendable (Int) -> Void)?
        if let bar { report = { @Sendable done in bar.show(done) } }
        let outcome = plan.run(sweep, candidates: candidates, objective: target, progress: report)
        let results = outcome.results
        let rungs: [SweepSearch.Rung] = outcome.rungs
        bar?.finish()
        let seconds = Date().timeIntervalSince(start)
        let ranked = SweepSearch.ranked(results, by: target).filter { $0.value(of: target).isFinite }
        let evaluated = rungs.isEmpty ? results.count : rungs.reduce(0) { $0 + $1.candidates }
        print("\(plan): \(evaluated) combination runs over \(series.count) bars (of \(candidates.count) in the grid) in "
            + "\(Table.number(seconds, places: 3)) s (\(Int(Double(evaluated) / seconds)) runs/s)")
        for (index, rung) in rungs.enumerated() {
            print("  rung \(index + 1): \(rung.candidates) combinations on the first \(rung.bars) bars")
        }
        print("rank  fast  slow  \(objective.padding(toLength: 14, withPad: " ", startingAt: 0))final equity  trades")
        for (rank, r) in ranked.prefix(top).enumerated() {
            print("\(String(rank + 1).padding(toLength: 6, withPad: " ", startingAt: 0))"
                + "\(String(r.combination.fast).padding(toLength: 6, withPad: " ", startingAt: 0))"
                + "\(String(r.combination.slow).padding(toLength: 6, withPad: " ", startingAt: 0))"
                + "\(Table.number(r.value(of: target), places: 4).padding(toLength: 14, withPad: " ", startingAt: 0))"
                + "\(r.finalEquity.formatted(places: 2).padding(toLength: 14, withPad: " ", startingAt: 0))\(r.roundTrips)")
        }
        if let store {
            do {
                let rows = results.map {
                    SweepRow(parameters: "fast=\($0.combination.fast) slow=\($0.combination.slow)", trades: $0.roundTrips, fills: $0.fills,
                             finalEquity: $0.finalEquity, totalReturn: $0.totalReturn, sharpe: $0.sharpe, sortino: $0.sortino,
                             maxDrawdown: $0.maxDrawdown, calmar: $0.calmar, profitFactor: $0.profitFactor)
                }
                let runID = try TradingStore(path: store).recordSweep(
                    strategy: "sma-cross", description: "\(plan) objective=\(target.rawValue) " + grids.joined(separator: " "),
                    bars: series.count, initialEquity: initialCash, best: ranked.first?.finalEquity, rows: rows,
                    started: WallClock.timestamp(start))
                print("stored as run \(runID) in \(store)")
            } catch { throw CLIFailure("\(store): \(error)") }
        }
        guard let out else { return }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try Self.write(results, ranked: ranked, objective: target, grid: grid, bars: series.count, seconds: seconds,
                           search: plan, rungs: rungs, to: out)
        } catch { throw CLIFailure("\(error)") }
        print("wrote \(out)/results.csv, summary.json" + (grid.axes.count == 2 ? ", heatmap.svg" : ""))
    }

    static func write(_ results: [SMACrossSweep.Result], ranked: [SMACrossSweep.Result], objective: SMACrossSweep.Objective,
                      grid: ParameterGrid, bars: Int, seconds: Double, search: SweepSearch = .grid, rungs: [SweepSearch.Rung] = [],
                      to folder: String) throws {
        let csv = try TextFileWriter(path: folder + "/results.csv")
        try csv.writeLine("fast,slow,trade_count,open_trade_count,fill_count,final_equity,total_return,sharpe,sortino,max_drawdown,calmar,profit_factor")
        for r in results {
            try csv.writeLine([String(r.combination.fast), String(r.combination.slow), String(r.roundTrips), String(r.openTrades),
                               String(r.fills), r.finalEquity.formatted(places: 4), "\(r.totalReturn)", "\(r.sharpe)", "\(r.sortino)",
                               "\(r.maxDrawdown)", "\(r.calmar)", "\(r.profitFactor)"].joined(separator: ","))
        }
        try csv.close()
        var summary = JSONObject()
        summary.set("strategy", "sma-cross")
        summary.set("objective", objective.rawValue)
        summary.set("combinations", results.count)
        summary.set("bars", bars)
        if let best = ranked.first {
            var b = JSONObject()
            b.set("fast", best.combination.fast)
            b.set("slow", best.combination.slow)
            if objective != .finalEquity { b.set(objective.rawValue, best.value(of: objective)) }
            b.set("final_equity", decimal: best.finalEquity.description)
            b.set("trade_count", best.roundTrips)
            summary.set("best", b)
        }
        summary.set("run_seconds", seconds)
        summary.set("search", search.description)
        if !rungs.isEmpty {
            summary.set("rungs", rungs.map { "\($0.candidates) on \($0.bars) bars" }.joined(separator: ", "))
        }
        try TextFileWriter.write(summary.render() + "\n", to: folder + "/summary.json")
        let byPair = Dictionary(uniqueKeysWithValues: results.map { ("\($0.combination.fast),\($0.combination.slow)", $0.value(of: objective)) })
        let svg = HeatmapSVG.render(xName: "fast", yName: "slow", xValues: grid.axes[0].values, yValues: grid.axes[1].values,
                                    value: { byPair["\($0),\($1)"] }, title: "sma-cross \(objective.rawValue)")
        try TextFileWriter.write(svg, to: folder + "/heatmap.svg")
    }
}
