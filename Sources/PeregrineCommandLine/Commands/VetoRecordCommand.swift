import ArgumentParser
import Foundation
import PeregrineData
import PeregrineEngine
import PeregrineLive
import PeregrineStrategies

struct VetoRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Backtest with the [veto] model reviewing each entry, and record its answers for replay.",
        discussion: """
            Runs the backtest as peregrine backtest would, asking the model of --config's [veto] table about \
            each entry it reviews (the same prompt, timeout, budget and on_failure as in trading; the budget \
            counts per day of the bars), and appends every answer to --out as a JSON line: time, symbol, side, \
            quantity, verdict (allow, veto, timeout, malformed, error, budget), allowed, reason. A backtest with \
            --veto-answers on that file then makes the same decisions without calling the model.

            Examples:
              peregrine veto record --data prices.csv --strategy sma-cross --config veto.toml --out veto-answers.jsonl
              peregrine veto record --data prices/ --strategy ts-momentum --config bots.toml --out answers.jsonl --summary veto.json
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var runOptions: RunOptions

    @Option(help: ArgumentHelp("A configuration file with a [veto] table.", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("Append the answers here (JSON lines); replaces [veto] record.", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("Also write the backtest's summary.json (with the verdict counts) here.", valueName: "file"))
    var summary: String?

    func run() throws {
        guard var settings = try loadSettings() else { throw CLIFailure("--config \(config) has no [veto] table") }
        settings.recordPath = out
        let reviewer: ModelVetoReviewer
        do {
            reviewer = try ModelVetoReviewer(settings: settings, log: { Console.error($0) })
        } catch {
            throw CLIFailure("\(error)")
        }
        let sources = try dataOptions.load()
        let series = sources.map(\.series).filter { !$0.isEmpty }
        guard !series.isEmpty else { throw CLIFailure("no bars to run on") }
        var configuration = try runOptions.configuration(series: series)
        configuration.entryReviewer = EntryReviewerHandle(reviewer)
        let strategyParameters = try runOptions.strategyParameters()
        let result: BacktestResult
        do {
            result = try StrategyRegistry.shared.backtest(strategy: runOptions.strategyName, parameters: strategyParameters, series: series,
                                                          configuration: configuration)
        } catch {
            throw ValidationError(error.message)
        }
        let counts = reviewer.verdictCounts
        print("reviewed \(counts.values.reduce(0, +)) entries: " + counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", "))
        print("wrote the answers to \(out)")
        if let summary {
            var report = BacktestReport(result: result, strategy: runOptions.strategyName, parameters: strategyParameters.values,
                                        dataSources: sources.map(\.name), loadSeconds: 0, runSeconds: 0)
            report.vetoCounts = counts
            do { try TextFileWriter.write(report.summary.render(), to: summary) } catch { throw CLIFailure(error.description) }
            print("wrote \(summary)")
        }
    }

    func loadSettings() throws -> VetoSettings? {
        do { return try VetoSettings.load(path: config) } catch { throw CLIFailure(error.description) }
    }
}
