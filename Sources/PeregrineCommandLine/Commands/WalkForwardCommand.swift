import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies

struct WalkForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walkforward",
        abstract: "Optimize on rolling (or anchored) in-sample windows and trade each next out-of-sample window.",
        discussion: """
            Any registered strategy walks forward (built-in, rules or your own), with the same run options as \
            backtest, on one instrument or several as one portfolio (a folder or repeated --data; windows \
            then count the time steps of all instruments merged, so every instrument's window covers the \
            same dates). Window lengths are in bars. Each in-sample window is swept over the grid (in the kernel, or \
            the sma-cross fast path where it applies); the best parameters trade the following out-of-sample \
            window in the event-driven kernel (warmed on the in-sample bars, trading only inside the window, \
            starting flat with the previous window's final equity). Reports each window, the stitched \
            out-of-sample statistics, walk-forward efficiency (out-of-sample over in-sample annualized return), \
            each numeric parameter's stability (coefficient of variation), the stitched out-of-sample Sharpe per bar with \
            its probabilistic Sharpe and its deflated Sharpe (deflated for the grid's trials with the windows' mean \
            variance of their in-sample Sharpes), the windows' mean in-sample probability of backtest overfitting, the \
            validation verdict (which includes the deflated-Sharpe threshold), and with \
            --holdout a final single run on the unseen last part. A signaling-game sweep records one signal tape \
            per window and engine setting, so its thresholds cost a pass of the books, not a refit.

            Examples:
              peregrine walkforward --data prices.csv --in-sample 1000 --out-of-sample 250
              peregrine walkforward --data prices/ --strategy sma-cross --param percent=0.2 --in-sample 756 --out-of-sample 252
              peregrine walkforward --data prices.csv --strategy signaling-game --grid min_prob_up=0.50..0.60:0.05 --in-sample 500 --out-of-sample 250
              peregrine walkforward --data prices.csv --rule "entry=rsi(close, $n) < $low" --rule "exit=rsi(close, $n) > 70" --grid n=7..21:7 --grid low=20..35:5 --in-sample 500 --out-of-sample 250
              peregrine walkforward --data prices.csv --grid fast=5..30:5 --grid slow=40..200:20 --in-sample 756 --out-of-sample 252 --anchored --holdout 0.2 --out wf --report wf.html
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var runOptions: RunOptions

    @OptionGroup var gateOptions: GateOptions

    @Option(name: .customLong("grid"), help: ArgumentHelp("Parameter range, repeatable (default fast=5..50:5, slow=20..200:10).",
                                                          valueName: "name=from..to[:step]"))
    var grids: [String] = []

    @Option(name: .customLong("constraint"), help: ArgumentHelp("Relation between parameters (default fast<slow).", valueName: "a<b"))
    var constraints: [String] = []

    @Option(help: ArgumentHelp("In-sample window length in bars.", valueName: "bars"))
    var inSample: Int

    @Option(help: ArgumentHelp("Out-of-sample window length in bars.", valueName: "bars"))
    var outOfSample: Int

    @Option(help: ArgumentHelp("Bars between window starts (default: the out-of-sample length).", valueName: "bars"))
    var step: Int?

    @Flag(help: "Anchor every in-sample window at the first bar instead of rolling it.")
    var anchored = false

    @Option(help: ArgumentHelp("Share of the bars kept unseen for a final single run, e.g. 0.2.", valueName: "fraction"))
    var holdout: Double = 0

    @Option(help: ArgumentHelp("The validation gate's least deflated Sharpe (a probability; 0.95 unless --gate's file sets it).", valueName: "p"))
    var minDeflatedSharpe: Double?

    @Option(help: ArgumentHelp("In-sample objective: sharpe, sortino, calmar, total_return, final_equity, profit_factor.",
                               valueName: "objective"))
    var objective: String = "sharpe"

    @Option(help: ArgumentHelp("Folder for windows.csv, equity.csv and summary.json.", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML tearsheet of the stitched out-of-sample run and its windows.",
                               valueName: "file.html"))
    var report: String?

    func run() throws {
        // A batch of backtests: freed arrays stay for the next run (see ProcessMemory).
        ProcessMemory.keepFreedBlocksForReuse()
        guard inSample > 0, outOfSample > 0, step.map({ $0 > 0 }) ?? true else {
            throw ValidationError("--in-sample, --out-of-sample and --step must be positive bar counts")
        }
        guard holdout >= 0 && holdout < 0.9 else { throw ValidationError("--holdout must be in [0, 0.9)") }
        guard let target = SMACrossSweep.Objective(rawValue: objective) else {
            throw ValidationError("--objective '\(objective)': use " + SMACrossSweep.Objective.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let strategy = runOptions.strategyName
        let (grid, combinations, base) = try runOptions.grid(axes: grids, constraints: constraints,
                                                             defaultAxes: ["fast=5..50:5", "slow=20..200:10"])
        let sources = try dataOptions.load()
        let series = sources.map(\.series).filter { !$0.isEmpty }
        guard !series.isEmpty else { throw CLIFailure("no bars to run on") }
        var configuration = try runOptions.configuration(series: series)
        configuration.corporateActions = try dataOptions.corporateActionsForBooks(symbols: series.map(\.instrument.symbol))
        guard configuration.tradingStart == nil else { throw ValidationError("walkforward warms each window on its in-sample bars; drop --warm-up") }
        var settings = WalkForwardAnalysis.Settings(inSample: inSample, outOfSample: outOfSample)
        settings.step = step
        settings.anchored = anchored
        settings.holdout = holdout
        settings.objective = target
        settings.strategy = strategy
        settings.base = base
        settings.configuration = configuration
        settings.initialCash = configuration.initialCash
        let periods = configuration.periodsPerYear ?? BacktestConfiguration.inferredPeriodsPerYear(
            interval: series[0].typicalInterval, calendar: configuration.venue.calendar ?? series[0].instrument.assetClass.defaultCalendar)
        let analysis = WalkForwardAnalysis(series: series, grid: combinations, settings: settings, periodsPerYear: periods)
        let report: WalkForwardAnalysis.Report
        var gate = try gateOptions.validationGate()
        if let minDeflatedSharpe {
            guard minDeflatedSharpe >= 0 && minDeflatedSharpe <= 1 else { throw ValidationError("--min-deflated-sharpe must be in [0, 1]") }
            gate.minimumDeflatedSharpe = minDeflatedSharpe
        }
        do { report = try analysis.run(gate: gate) } catch { throw CLIFailure(error.description) }
        func day(_ index: Int) -> String { Timestamp(nanoseconds: analysis.timeline[index]).compactDescription }
        let names = grid.axes.map(\.name)
        func text(_ values: [String: String]) -> String { names.map { "\($0)=\(values[$0] ?? "")" }.joined(separator: " ") }
        print("window  out-of-sample              IS \(objective)  OOS return  OOS sharpe  trades  parameters")
        for (k, w) in report.windows.enumerated() {
            let m = w.result.metrics
            print("\(String(k + 1).padding(toLength: 8, withPad: " ", startingAt: 0))"
                + "\((day(w.outOfSampleBars.lowerBound) + ".." + day(w.outOfSampleBars.upperBound - 1)).padding(toLength: 27, withPad: " ", startingAt: 0))"
                + "\(Table.number(w.inSampleObjective).padding(toLength: 12, withPad: " ", startingAt: 0))"
                + "\(Table.percent(m.returns.totalReturn).padding(toLength: 12, withPad: " ", startingAt: 0))"
                + "\(Table.number(m.returns.sharpe).padding(toLength: 12, withPad: " ", startingAt: 0))"
                + "\(String(m.trades.roundTrips).padding(toLength: 8, withPad: " ", startingAt: 0))\(text(w.parameters))")
        }
        var table = Table()
        table.add("out-of-sample return", Table.percent(report.statistics.totalReturn) + " (annual " + Table.percent(report.statistics.annualReturn) + ")")
        table.add("out-of-sample sharpe", Table.number(report.statistics.sharpe) + " (in-sample mean " + Table.number(report.meanInSampleSharpe) + ")")
        table.add("max drawdown", Table.percent(report.statistics.maxDrawdown))
        table.add("walk-forward efficiency", Table.number(report.efficiency))
        table.add("parameter stability (CV)", report.stability.keys.sorted().map { "\($0) \(Table.number(report.stability[$0]!))" }
            .joined(separator: ", "))
        if let h = report.holdout {
            table.add("holdout", "\(day(h.outOfSampleBars.lowerBound))..\(day(h.outOfSampleBars.upperBound - 1)) with \(text(h.parameters)): "
                + Table.percent(h.result.metrics.returns.totalReturn) + ", sharpe " + Table.number(h.result.metrics.returns.sharpe))
        }
        table.add("OOS sharpe per bar", Table.number(report.statistics.sharpePerPeriod, places: 4)
            + " (PSR " + Table.percent(report.statistics.probabilisticSharpe.probability) + ")")
        SignificanceOutput.add(report.deflated, to: &table)
        if let pbo = report.meanProbabilityOfOverfitting {
            table.add("PBO (in sample, mean)", Table.number(pbo, places: 3) + " over \(report.windows.count) windows of \(combinations.count) trials")
        }
        table.add("validation", report.verdict.description)
        print("")
        print(table.render())
        if let page = self.report {
            try writeTearsheet(report, analysis: analysis, initialCash: settings.initialCash, to: page)
        }
        guard let out else { return }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let windows = try TextFileWriter(path: out + "/windows.csv")
            try windows.writeLine("window,in_sample_start,in_sample_end,out_of_sample_start,out_of_sample_end,"
                + names.map(CSVField.escape).joined(separator: ",") + ",in_sample_objective,out_of_sample_return,out_of_sample_sharpe,trade_count")
            for (k, w) in report.windows.enumerated() {
                try windows.writeLine("\(k + 1),\(day(w.inSampleBars.lowerBound)),\(day(w.inSampleBars.upperBound - 1)),"
                    + "\(day(w.outOfSampleBars.lowerBound)),\(day(w.outOfSampleBars.upperBound - 1)),"
                    + names.map { CSVField.escape(w.parameters[$0] ?? "") + "," }.joined()
                    + "\(w.inSampleObjective),\(w.result.metrics.returns.totalReturn),\(w.result.metrics.returns.sharpe),\(w.result.metrics.trades.roundTrips)")
            }
            try windows.close()
            let equity = try TextFileWriter(path: out + "/equity.csv")
            try equity.writeLine("timestamp,equity")
            for (time, value) in report.equity {
                try equity.writeLine("\(Timestamp(nanoseconds: time).compactDescription),\(value.formatted(places: 6))")
            }
            try equity.close()
            var json = JSONObject()
            json.set("windows", report.windows.count)
            json.set("out_of_sample_total_return", report.statistics.totalReturn)
            json.set("out_of_sample_sharpe", report.statistics.sharpe)
            json.set("mean_in_sample_sharpe", report.meanInSampleSharpe)
            json.set("max_drawdown", report.statistics.maxDrawdown)
            json.set("walk_forward_efficiency", report.efficiency)
            for (name, value) in report.stability.sorted(by: { $0.key < $1.key }) { json.set("\(name)_stability", value) }
            json.set("trade_count", report.roundTrips)
            json.setSharpeSignificance(report.statistics)
            json.set("trials", combinations.count)
            if let deflated = report.deflated {
                json.set("expected_max_sharpe_per_bar", deflated.expectedMaximumSharpe)
                json.set("deflated_sharpe", deflated.probability)
                json.set("deflated_sharpe_z", deflated.zScore)
            }
            if let pbo = report.meanProbabilityOfOverfitting { json.set("mean_in_sample_probability_of_backtest_overfitting", pbo) }
            json.set("validation", report.verdict.description)
            try TextFileWriter.write(json.render() + "\n", to: out + "/summary.json")
        } catch { throw CLIFailure("\(error)") }
        print("wrote \(out)/windows.csv, equity.csv, summary.json")
    }

    /// The stitched out-of-sample run as a tearsheet over the traded bars, with the windows section.
    private func writeTearsheet(_ report: WalkForwardAnalysis.Report, analysis: WalkForwardAnalysis, initialCash: Money, to page: String) throws {
        guard let result = report.stitchedResult(initialCash: initialCash) else { throw CLIFailure("no walk-forward windows to report") }
        let traded = analysis.slices(report.windows[0].outOfSampleBars.lowerBound..<report.windows[report.windows.count - 1].outOfSampleBars.upperBound)
        let symbols = analysis.series.map(\.instrument.symbol)
        var sheet = Tearsheet(result: result, series: traded,
                              title: "Walk-forward: \(runOptions.strategyName) on \(symbols.count == 1 ? symbols[0] : "\(symbols.count) instruments"), "
                                + "\(anchored ? "anchored" : "rolling") \(inSample)/\(outOfSample) bars",
                              verdict: report.verdict)
        sheet.significance = (report.deflated, report.meanProbabilityOfOverfitting)
        sheet.extraSections.append((title: "Walk-forward windows (objective \(objective))",
                                    html: WalkForwardSection.render(report, timeline: analysis.timeline)))
        do { try TextFileWriter.write(sheet.render(), to: page) } catch { throw CLIFailure(error.description) }
        print("wrote \(page)")
    }
}
