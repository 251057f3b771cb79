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
            Orders decided on a bar's close fill on a later bar (next open by default). A position still
            open at the end is marked at the last close, not closed. Several --data sources (or a folder)
            run as one portfolio.

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
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("Strategy name (see `peregrine strategies`).", valueName: "name"))
    var strategy: String = "sma-cross"

    @Option(name: .customLong("param"), help: ArgumentHelp("Strategy parameter, repeatable: --param fast=10.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("Starting cash.", valueName: "amount"))
    var cash: String = "1000000"

    @Option(help: ArgumentHelp("Shares per entry (same as --param quantity=N).", valueName: "n"))
    var quantity: String?

    @Option(help: ArgumentHelp("none, per-share:RATE[,min=AMOUNT], percent:PCT, bps:N or fixed:AMOUNT.", valueName: "model"))
    var commission: String = "none"

    @Option(help: ArgumentHelp("none, bps:N or volume-share[:IMPACT].", valueName: "model"))
    var slippage: String = "none"

    @Option(help: ArgumentHelp("When market orders fill: next-open (default) or close (the signal bar's close).", valueName: "timing"))
    var fill: String = "next-open"

    @Option(help: ArgumentHelp("Which bracket leg wins when one bar reaches both: stop-first or take-profit-first.", valueName: "rule"))
    var bracketAmbiguity: String = "stop-first"

    @Option(help: ArgumentHelp("Cap on the share of a bar's volume one order may take, in percent (rest fills later).", valueName: "pct"))
    var maxVolumeShare: String?

    @Option(help: ArgumentHelp("Session hours: us-equity, 24x7 or HH:MM-HH:MM@ZONE (default: by asset class).", valueName: "calendar"))
    var calendar: String?

    @Flag(help: "Allow short positions (sell signals from flat open shorts).")
    var allowShort = false

    @Option(help: ArgumentHelp("Pre-trade risk checks: off (default), default (every limit at its default; see "
        + "`peregrine risk show`), or a TOML configuration file with a [risk] table.", valueName: "off|default|file"))
    var risk: String = "off"

    @Option(help: ArgumentHelp("Annual risk-free rate for Sharpe and Sortino, e.g. 0.02.", valueName: "rate"))
    var riskFree: Double = 0

    @Option(help: ArgumentHelp("Periods per year for annualizing (default: from the bar interval).", valueName: "n"))
    var periodsPerYear: Double?

    @Option(help: ArgumentHelp("TOML file whose [exits] table manages open positions (stops, targets, trailing, "
        + "time, scaled, end of day).", valueName: "file"))
    var exits: String?

    @Option(help: ArgumentHelp("TOML file whose [sizing] table sizes every entry (quantity, notional, percent, "
        + "fixed_fractional, kelly) in place of the strategy's own size.", valueName: "file"))
    var sizing: String?

    @Option(help: ArgumentHelp("The first N bars only warm the strategy up (its orders there are refused as warm_up), "
        + "as when `peregrine trade` starts after N bars of history.", valueName: "n"))
    var warmUp: Int = 0

    @Option(help: ArgumentHelp("When the strategy acts, as `[trade] schedule` in trading: \"every bar\", \"every 15m\", "
        + "\"daily 15:45 America/New_York\"; its signals on other bars are held as off_schedule.", valueName: "schedule"))
    var schedule: String?

    @Option(help: ArgumentHelp("Folder for summary.json, trades.csv, fills.csv, equity.csv, orders.csv, decisions.csv.", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Write the decision log (every signal, hold and rejection with its reason) here.", valueName: "file"))
    var decisions: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML tearsheet (charts, monthly returns, trades, verdict) here.", valueName: "file.html"))
    var report: String?

    @Option(help: ArgumentHelp("Also keep the run (decisions, orders, fills) in this SQLite store; see `peregrine db`.", valueName: "file"))
    var store: String?

    func run() throws {
        var configuration = BacktestConfiguration()
        guard let initialCash = Money(cash), initialCash > .zero else {
            throw ValidationError("--cash '\(cash)': expected a positive amount such as 100000")
        }
        configuration.initialCash = initialCash
        let riskChoice = try RiskChoice(risk)
        configuration.strategyName = strategy
        if let exits {
            do {
                guard let plan = try ExitConfiguration.load(path: exits) else {
                    throw ValidationError("--exits '\(exits)': the file has no [exits] table")
                }
                configuration.exits = plan
            } catch let error as ConfigurationFileError {
                throw ValidationError("--exits: \(error.description)")
            }
        }
        if let sizing {
            do {
                guard let policy = try SizingConfiguration.load(path: sizing) else {
                    throw ValidationError("--sizing '\(sizing)': the file has no [sizing] table")
                }
                configuration.sizing = policy
            } catch let error as ConfigurationFileError {
                throw ValidationError("--sizing: \(error.description)")
            }
        }
        configuration.allowShort = allowShort
        configuration.riskFreeRate = riskFree
        if let periodsPerYear {
            guard periodsPerYear > 0 else { throw ValidationError("--periods-per-year must be positive") }
            configuration.periodsPerYear = periodsPerYear
        }
        do {
            configuration.venue.commission = try CommissionModel(specification: commission)
            configuration.venue.slippage = try SlippageModel(specification: slippage)
        } catch {
            throw ValidationError(error.message)
        }
        guard let timing = FillTiming(rawValue: fill) else { throw ValidationError("--fill '\(fill)': use next-open or close") }
        configuration.venue.fillTiming = timing
        guard let ambiguity = BracketAmbiguity(rawValue: bracketAmbiguity) else {
            throw ValidationError("--bracket-ambiguity '\(bracketAmbiguity)': use stop-first or take-profit-first")
        }
        configuration.venue.bracketAmbiguity = ambiguity
        if let maxVolumeShare {
            guard let rate = Rate(percent: maxVolumeShare), rate.partsPerBillion > 0, rate.partsPerBillion <= 1_000_000_000 else {
                throw ValidationError("--max-volume-share '\(maxVolumeShare)': expected a percent in (0, 100], e.g. 2.5")
            }
            configuration.venue.maxVolumeShare = rate
        }
        if let calendar {
            guard let parsed = TradingCalendar(specification: calendar) else {
                throw ValidationError("--calendar '\(calendar)': use us-equity, 24x7 or HH:MM-HH:MM@ZONE such as 09:00-17:30@Europe/Berlin")
            }
            configuration.venue.calendar = parsed
        }
        var assignments = parameters
        if let quantity {
            if parameters.contains(where: { $0.hasPrefix("quantity=") }) {
                throw ValidationError("give the quantity once: --quantity or --param quantity=")
            }
            assignments.append("quantity=\(quantity)")
        }
        let strategyParameters: StrategyParameters
        do { strategyParameters = try StrategyParameters(assignments: assignments) } catch { throw ValidationError(error.message) }

        let loadStart = Date()
        let sources = try dataOptions.load()
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let series = sources.map(\.series).filter { !$0.isEmpty }
        guard !series.isEmpty else { throw CLIFailure("no bars to run on") }
        configuration.risk = riskChoice.limits(barInterval: series[0].typicalInterval)
        if warmUp > 0 {
            let times = Set(series.flatMap(\.timestamps)).sorted()
            guard warmUp < times.count else { throw ValidationError("--warm-up \(warmUp): the data has only \(times.count) bar times") }
            configuration.tradingStart = Timestamp(nanoseconds: times[warmUp])
        } else if warmUp < 0 {
            throw ValidationError("--warm-up must be 0 or more")
        }
        if let schedule {
            do { configuration.schedule = try TradingSchedule(parsing: schedule) } catch { throw ValidationError("--\(error.description)") }
        }

        let runStart = Date()
        let result: BacktestResult
        do {
            result = try StrategyCatalog.backtest(strategy: strategy, parameters: strategyParameters, series: series,
                                                  configuration: configuration)
        } catch {
            throw ValidationError(error.message)
        }
        let runSeconds = Date().timeIntervalSince(runStart)
        let report = BacktestReport(result: result, strategy: strategy, parameters: strategyParameters.values,
                                    dataSources: sources.map(\.name), loadSeconds: loadSeconds, runSeconds: runSeconds)
        print(Self.summaryTable(report))
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
                let runID = try TradingStore(path: store).record(result, strategy: strategy, parameters: strategyParameters.text,
                                                                 started: WallClock.now())
                print("stored run \(runID) in \(store)")
            } catch {
                throw CLIFailure("--store \(store): \(error)")
            }
        }
        if let decisions {
            do { try report.writeDecisions(decisions) } catch { throw CLIFailure(error.description) }
            print("wrote \(result.decisions.count) decisions to \(decisions)")
        }
        if let page = self.report {
            let name = strategy + (strategyParameters.values.isEmpty ? "" : " " + strategyParameters.text)
            let sheet = Tearsheet(result: result, series: series, title: "Backtest: \(name)", verdict: ValidationGate().judge(result))
            do { try TextFileWriter.write(sheet.render(), to: page) } catch { throw CLIFailure(error.description) }
            print("wrote \(page)")
        }
    }

    static func summaryTable(_ report: BacktestReport) -> String {
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
        table.add("sharpe", Table.number(m.returns.sharpe))
        table.add("sortino", Table.number(m.returns.sortino))
        table.add("max drawdown", Table.percent(m.returns.maxDrawdown) + " (longest \(Table.number(m.maxDrawdownDays, places: 1)) days)")
        table.add("calmar", Table.number(m.returns.calmar))
        table.add("VaR / CVaR 95%", Table.percent(m.returns.valueAtRisk95) + " / " + Table.percent(m.returns.conditionalValueAtRisk95))
        table.add("round trips", "\(m.trades.roundTrips) closed, \(result.openTrips.count) open")
        table.add("fills", "\(m.fillCount)")
        table.add("win rate", Table.percent(m.trades.winRate))
        table.add("profit factor", Table.number(m.trades.profitFactor))
        table.add("expectancy", Table.number(m.trades.expectancy, places: 2))
        table.add("avg win / loss", Table.number(m.trades.averageWin, places: 2) + " / " + Table.number(m.trades.averageLoss, places: 2))
        table.add("exposure", Table.percent(m.exposure))
        table.add("turnover", Table.number(m.turnover, places: 2) + "x")
        table.add("commissions", result.account.commissionsPaid.formatted(places: 2))
        let rejections = result.decisionCounts.filter { $0.key.hasPrefix("rejected:") }
        if !rejections.isEmpty {
            table.add("rejections", rejections.keys.sorted().map { "\($0.dropFirst(9))=\(rejections[$0]!)" }.joined(separator: " "))
        }
        table.add("validation", ValidationGate().judge(result).description)
        table.add("load / run", Table.number(report.loadSeconds, places: 3) + "s / " + Table.number(report.runSeconds, places: 3) + "s")
        return table.render()
    }
}
