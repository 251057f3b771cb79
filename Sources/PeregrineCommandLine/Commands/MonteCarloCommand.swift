import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies

struct MonteCarloCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "montecarlo",
        abstract: "Backtest a strategy, then resample its trades or returns into many equity paths.",
        discussion: """
            Methods: trades (bootstrap the round trips' net P&L), shuffle (reorder them), blocks (stationary \
            block bootstrap of the per-bar returns), gbm (geometric Brownian motion with their mean and \
            volatility), regimes (a two-state hidden Markov model fitted to them, calm and turbulent, simulated \
            as a switching chain). --cost-bps adds a cost per trade drawn uniformly from a range, in basis points of the \
            entry notional. Reports the distributions of final equity, annual return, max drawdown and its \
            duration, the probability of ruin, and writes a fan chart.

            The backtest is the one `peregrine backtest` runs with the same strategy and run options (any \
            registered strategy, rules included; cash, costs, fills, risk limits, exits, sizing, schedule, \
            warm-up), so its final equity is the backtest's.

            Examples:
              peregrine montecarlo --data prices.csv --strategy sma-cross --paths 2000
              peregrine montecarlo --data prices.csv --rule "entry=rsi(close, 14) < 30" --rule "exit=rsi(close, 14) > 70" --commission bps:5 --paths 2000
              peregrine montecarlo --data prices.csv --method blocks --block-length 20 --ruin 0.7 --out mc
              peregrine montecarlo --data prices.csv --method shuffle --cost-bps 2..10 --out mc
              peregrine montecarlo --data prices.csv --method regimes --paths 1000 --out mc --report mc.html
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var runOptions: RunOptions

    @OptionGroup var gateOptions: GateOptions

    @Option(help: ArgumentHelp("trades, shuffle, blocks, gbm or regimes.", valueName: "method"))
    var method: String = "trades"

    @Option(help: "Number of paths.")
    var paths: Int = 1_000

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Ruin level as a share of starting equity.", valueName: "fraction"))
    var ruin: Double = 0.5

    @Option(help: ArgumentHelp("Mean block length for the block bootstrap, in bars.", valueName: "bars"))
    var blockLength: Double = 20

    @Option(help: ArgumentHelp("Extra cost per trade, a range in basis points, e.g. 2..10.", valueName: "from..to"))
    var costBps: String?

    @Option(help: ArgumentHelp("Folder for summary.json and fan_chart.svg.", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Write an HTML tearsheet of the backtest with the fan chart and distributions.", valueName: "file.html"))
    var report: String?

    func run() throws {
        // A batch of backtests: freed arrays stay for the next run (see ProcessMemory).
        ProcessMemory.keepFreedBlocksForReuse()
        let gate = try gateOptions.validationGate()  // a bad --gate file is refused before the run
        guard let chosen = MonteCarloAnalysis.Method(rawValue: method) else {
            throw ValidationError("--method '\(method)': use " + MonteCarloAnalysis.Method.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard paths >= 10 else { throw ValidationError("--paths must be at least 10") }
        guard ruin > 0 && ruin < 1 else { throw ValidationError("--ruin must be in (0, 1)") }
        var costRange: ClosedRange<Double>?
        if let costBps {
            let bounds = costBps.components(separatedBy: "..").compactMap(Double.init)
            guard bounds.count == 2, bounds[0] >= 0, bounds[0] <= bounds[1] else {
                throw ValidationError("--cost-bps '\(costBps)': expected from..to in basis points, e.g. 2..10")
            }
            costRange = bounds[0]...bounds[1]
        }
        let strategy = runOptions.strategyName
        let strategyParameters = try runOptions.strategyParameters()
        let sources = try dataOptions.load()
        let series = sources.map(\.series)
        var configuration = try runOptions.configuration(series: series)
        configuration.corporateActions = try dataOptions.corporateActionsForBooks(symbols: series.map(\.instrument.symbol))
        let result: BacktestResult
        do {
            result = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: strategyParameters, series: series,
                                                  configuration: configuration)
        } catch { throw ValidationError(error.message) }
        let initial = result.metrics.initialEquity.doubleValue
        let trades = result.roundTrips.map { MonteCarloAnalysis.Trade(netPnL: $0.netPnL.doubleValue, entryNotional: $0.entryNotional.doubleValue) }
        var previous = initial
        let returns = result.equity.map { point -> Double in
            let value = point.equity.doubleValue
            defer { previous = value }
            return value / previous - 1
        }
        let years = Double(result.equity.count) / result.periodsPerYear
        var settings = MonteCarloAnalysis.Settings()
        settings.method = chosen
        settings.paths = paths
        settings.seed = seed
        settings.ruinLevel = ruin
        settings.blockLength = blockLength
        settings.costRange = costRange
        settings.periodsPerYear = result.periodsPerYear
        if (chosen == .tradeBootstrap || chosen == .tradeShuffle) && trades.isEmpty {
            throw CLIFailure("the backtest closed no round trips to resample; try --method blocks")
        }
        let report = MonteCarloAnalysis(initialEquity: initial, trades: trades, returns: returns, years: years).run(settings)
        func row(_ d: MonteCarloAnalysis.Distribution, _ format: (Double) -> String) -> String {
            "\(format(d.p5)) / \(format(d.p25)) / \(format(d.median)) / \(format(d.p75)) / \(format(d.p95))"
        }
        var table = Table()
        table.add("backtest", "\(result.roundTrips.count) round trips, final equity \(result.finalEquity.formatted(places: 2))")
        table.add("method", "\(chosen.rawValue), \(paths) paths, seed \(seed)" + (costRange.map { ", cost \($0.lowerBound)..\($0.upperBound) bp" } ?? ""))
        table.add("percentiles", "5% / 25% / 50% / 75% / 95%")
        table.add("final equity", row(report.finalEquity) { Table.format($0, places: 0) })
        table.add("annual return", row(report.annualReturn, Table.percent))
        table.add("max drawdown", row(report.maxDrawdown, Table.percent))
        table.add("drawdown duration", row(report.maxDrawdownDuration) { Table.format($0, places: 0) })
        table.add("probability of ruin", Table.percent(report.probabilityOfRuin) + " (equity at or below " + Table.percent(ruin) + ")")
        print(table.render())
        let fanChart = FanChartSVG.render(bands: report.bands, initialEquity: initial,
                                          title: "\(strategy) Monte Carlo (\(chosen.rawValue), \(paths) paths)",
                                          xLabel: chosen == .tradeBootstrap || chosen == .tradeShuffle ? "trade" : "bar")
        if let page = self.report {
            var sheet = Tearsheet(result: result, series: series, title: "Monte Carlo: \(strategy), \(chosen.rawValue)",
                                  verdict: gate.judge(result))
            let rows = [("final equity", row(report.finalEquity) { Table.format($0, places: 0) }),
                        ("annual return", row(report.annualReturn, Table.percent)), ("max drawdown", row(report.maxDrawdown, Table.percent)),
                        ("probability of ruin", Table.percent(report.probabilityOfRuin))]
            let table = "<table><tr><th class=\"left\"></th><th>5% / 25% / 50% / 75% / 95%</th></tr>"
                + rows.map { "<tr><td class=\"left\">\($0.0)</td><td>\($0.1)</td></tr>" }.joined() + "</table>\n"
            sheet.extraSections.append((title: "Monte Carlo (\(paths) paths, seed \(seed))", html: fanChart + table))
            do { try TextFileWriter.write(sheet.render(), to: page) } catch { throw CLIFailure(error.description) }
            print("wrote \(page)")
        }
        guard let out else { return }
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            var json = JSONObject()
            json.set("method", chosen.rawValue)
            json.set("paths", paths)
            json.set("seed", Int(seed))
            for (name, d) in [("final_equity", report.finalEquity), ("annual_return", report.annualReturn),
                              ("max_drawdown", report.maxDrawdown), ("max_drawdown_duration", report.maxDrawdownDuration)] {
                var o = JSONObject()
                o.set("p5", d.p5); o.set("p25", d.p25); o.set("median", d.median); o.set("p75", d.p75); o.set("p95", d.p95); o.set("mean", d.mean)
                json.set(name, o)
            }
            json.set("probability_of_ruin", report.probabilityOfRuin)
            try TextFileWriter.write(json.render() + "\n", to: out + "/summary.json")
            try TextFileWriter.write(fanChart, to: out + "/fan_chart.svg")
        } catch { throw CLIFailure("\(error)") }
        print("wrote \(out)/summary.json, fan_chart.svg")
    }
}
