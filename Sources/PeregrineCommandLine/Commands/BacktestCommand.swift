import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineRisk
import PeregrineStorage
import PeregrineStrategies

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run a strategy over historical or synthetic bars and report trades, equity and statistics.",
        discussion: """
            Orders decided on a bar's close fill on a later bar (next open by default). A position still \
            open at the end is marked at the last close, not closed. Several --data sources (or a folder) \
            run as one portfolio.

            With --veto-answers FILE each entry gets the veto answer recorded for it (by a trading run with \
            [veto] record, or by peregrine veto record): a vetoed entry is refused as vetoed, a failure as the \
            recorded policy decided, so the run makes the decisions the recording run made; summary.json \
            counts the verdicts under "veto".

            Examples:
              peregrine backtest --data synthetic --strategy sma-cross
              peregrine backtest --data ../shared/data/orcl_daily.csv --param fast=10 --param slow=30 --quantity 100
              peregrine backtest --data synthetic:bars=200000,seed=7 --commission per-share:0.005,min=1 --slippage bps:2 --out out/run1
              peregrine backtest --data prices/ --strategy buy-and-hold --out out/bh
              peregrine backtest --data prices.csv --strategy signaling-game --decisions decisions.csv
              peregrine backtest --data prices/ --strategy sma-cross --param percent=0.3 --risk default
              peregrine backtest --data prices/ --strategy signaling-game --risk examples/peregrine.toml
              peregrine backtest --data prices.csv --strategy sma-cross --exits examples/peregrine.toml
              peregrine backtest --data ../shared/data/orcl_daily.csv --report orcl.html
              peregrine backtest --data prices.csv --veto-answers veto-answers.jsonl --out vetoed
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @OptionGroup var runOptions: RunOptions

    @OptionGroup var gateOptions: GateOptions

    @Option(help: ArgumentHelp("Folder for summary.json, trades.csv, fills.csv, equity.csv, orders.csv, decisions.csv.", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Write the decision log (every signal, hold and rejection with its reason) here.", valueName: "file"))
    var decisions: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML tearsheet (charts, monthly returns, trades, verdict) here.", valueName: "file.html"))
    var report: String?

    @Option(help: ArgumentHelp("Also keep the run (decisions, orders, fills) in this SQLite store; see `peregrine db`.", valueName: "file"))
    var store: String?

    @Option(help: ArgumentHelp("Replay recorded veto answers (JSON lines) for the entries.", valueName: "file"))
    var vetoAnswers: String?

    func run() throws {
        // A batch of backtests: freed arrays stay for the next run (see ProcessMemory).
        ProcessMemory.keepFreedBlocksForReuse()
        let gate = try gateOptions.validationGate()  // a bad --gate file is refused before the run
        let strategy = runOptions.strategyName
        let strategyParameters = try runOptions.strategyParameters()
        let loadStart = Date()
        let sources = try dataOptions.load()
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let series = sources.map(\.series).filter { !$0.isEmpty }
        guard !series.isEmpty else { throw CLIFailure("no bars to run on") }
        var configuration = try runOptions.configuration(series: series)
        configuration.corporateActions = try dataOptions.corporateActionsForBooks(symbols: series.map(\.instrument.symbol))
        var recorded: RecordedVetoes?
        if let vetoAnswers {
            do { recorded = try RecordedVetoes(path: vetoAnswers) } catch { throw CLIFailure("--veto-answers: \(error.description)") }
            configuration.entryReviewer = recorded.map(EntryReviewerHandle.init)
        }

        let runStart = Date()
        let result: BacktestResult
        do {
            result = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: strategyParameters, series: series,
                                                  configuration: configuration)
        } catch {
            throw ValidationError(error.message)
        }
        let runSeconds = Date().timeIntervalSince(runStart)
        var report = BacktestReport(result: result, strategy: strategy, parameters: strategyParameters.values,
                                    dataSources: sources.map(\.name), loadSeconds: loadSeconds, runSeconds: runSeconds)
        report.vetoCounts = recorded?.verdictCounts
        print(Self.summaryTable(report, gate: gate))
        if let out {
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                try report.write(to: out)
            } catch let error as DataError {
                throw CLIFailure(error.description)
            }
            print("\nwrote \(out)/summary.json, trades.csv, fills.csv, equity.csv, orders.csv, decisions.csv")
        }
        if let store {
            do {
                let database = try TradingStore(path: store)
                let runID = try database.record(result, strategy: strategy, parameters: strategyParameters.text, started: WallClock.now())
                // The summary and the tearsheet go with the run, so `peregrine serve` can show it later.
                try database.recordReport(runID: runID, summary: report.summary.render(), html: Self.tearsheet(result, series, strategy, strategyParameters, gate: gate).render())
                print("stored run \(runID) in \(StoreLocation.redacted(store))")
            } catch {
                throw CLIFailure.store("--store", store, error)
            }
        }
        if let decisions {
            do { try report.writeDecisions(decisions) } catch { throw CLIFailure(error.description) }
            print("wrote \(result.decisions.count) decisions to \(decisions)")
        }
        if let page = self.report {
            do { try TextFileWriter.write(Self.tearsheet(result, series, strategy, strategyParameters, gate: gate).render(), to: page) } catch { throw CLIFailure(error.description) }
            print("wrote \(page)")
        }
    }

    static func tearsheet(_ result: BacktestResult, _ series: [BarSeries], _ strategy: String,
                          _ strategyParameters: StrategyParameters, gate: ValidationGate = ValidationGate()) -> Tearsheet {
        let name = strategy + (strategyParameters.values.isEmpty ? "" : " " + strategyParameters.text)
        return Tearsheet(result: result, series: series, title: "Backtest: \(name)", verdict: gate.judge(result))
    }

    static func summaryTable(_ report: BacktestReport, gate: ValidationGate = ValidationGate()) -> String {
        let result = report.result
        let m = result.metrics
        var table = Table()
        let first = result.equity.first?.timestamp.compactDescription ?? "-"
        let last = result.equity.last?.timestamp.compactDescription ?? "-"
        table.add("strategy", report.strategy + (report.parameters.isEmpty ? "" : " "
            + report.parameters.keys.sorted().map { "\($0)=\(report.parameters[$0]!)" }.joined(separator: " ")))
        table.add("symbols", result.instruments.map(\.symbol).joined(separator: ", "))
        table.add("bars", "\(result.bars) (\(first) to \(last))")
        table.add("initial equity", m.initialEquity.formatted(places: 2))
        table.add("final equity", m.finalEquity.formatted(places: 2))
        table.add("total return", Table.percent(m.returns.totalReturn))
        table.add("annual return", Table.percent(m.returns.annualReturn))
        table.add("annual volatility", Table.percent(m.returns.annualVolatility))
        table.add("sharpe (annual)", Table.number(m.returns.sharpe))
        SignificanceOutput.add(m.returns, to: &table)
        table.add("sortino", Table.number(m.returns.sortino))
        table.add("max drawdown", Table.percent(m.returns.maxDrawdown) + " (longest \(Table.number(m.maxDrawdownDays, places: 1)) days)")
        table.add("calmar", Table.number(m.returns.calmar))
        table.add("VaR / CVaR 95%", Table.percent(m.returns.valueAtRisk95) + " / " + Table.percent(m.returns.conditionalValueAtRisk95)
            + " historical" + report.valueAtRiskByModel().map {
                "; " + Table.percent($0.estimate.valueAtRisk) + " / " + Table.percent($0.estimate.conditionalValueAtRisk) + " " + $0.method.label
            }.joined())
        table.add("round trips", "\(m.trades.roundTrips) closed, \(result.openTrips.count) open")
        table.add("fills", "\(m.fillCount)")
        table.add("win rate", Table.percent(m.trades.winRate))
        table.add("profit factor", Table.number(m.trades.profitFactor))
        table.add("expectancy", Table.number(m.trades.expectancy, places: 2))
        table.add("avg win / loss", Table.number(m.trades.averageWin, places: 2) + " / " + Table.number(m.trades.averageLoss, places: 2))
        table.add("exposure", Table.percent(m.exposure))
        table.add("turnover", Table.number(m.turnover, places: 2) + "x")
        table.add("commissions", result.account.commissionsPaid.formatted(places: 2))
        let stale = result.staleMarkSteps.enumerated().filter { $0.element > 0 }.sorted { $0.element > $1.element }
        if !stale.isEmpty {
            table.add("stale marks", stale.prefix(5).map { "\(result.instruments[$0.offset].symbol) \($0.element)" }.joined(separator: ", ")
                + (stale.count > 5 ? " and \(stale.count - 5) more" : "") + " steps held without a bar (marked at an older close)")
        }
        if !result.corporateActions.isEmpty {
            let splits = result.corporateActions.filter { if case .split = $0.action.kind { return true } else { return false } }.count
            table.add("corporate actions", "\(splits) split\(splits == 1 ? "" : "s"), \(result.corporateActions.count - splits) "
                + "dividend\(result.corporateActions.count - splits == 1 ? "" : "s"); cash \(result.account.corporateActionCash.formatted(places: 2))")
        }
        let rejections = result.decisionCounts.filter { $0.key.hasPrefix("rejected:") }
        if !rejections.isEmpty {
            table.add("rejections", rejections.keys.sorted().map { "\($0.dropFirst(9))=\(rejections[$0]!)" }.joined(separator: " "))
        }
        table.add("validation", gate.judge(result).description)
        table.add("load / run", Table.number(report.loadSeconds, places: 3) + "s / " + Table.number(report.runSeconds, places: 3) + "s")
        return table.render()
    }
}
