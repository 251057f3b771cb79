import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineRisk
import PeregrineStrategies

/// The options of every command that runs a strategy (backtest, sweep, walkforward, tune,
/// montecarlo, stress): which strategy with which parameters, and how the run treats it (cash,
/// costs, fills, sessions, risk, exits, sizing, schedule). One group, so the commands cannot drift
/// apart. A command's own options take other names; stress alone reads `--warm-up` its own way (the
/// bars before each decline).
struct RunOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Strategy name (see `peregrine strategies`); sma-cross when not given (tune: signaling-game).",
                               valueName: "name"))
    var strategy: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("Strategy parameter, repeatable: --param fast=10.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(name: .customLong("rule"), help: ArgumentHelp("A rule of the rules strategy, repeatable: --rule \"entry=rsi(close, 14) < 30\" "
        + "(entry, exit, short_entry, short_exit); implies --strategy rules.", valueName: "role=expression"))
    var rules: [String] = []

    @Option(name: .customLong("rules"), help: ArgumentHelp("A file of rules for the rules strategy: one role = expression per "
        + "line, # comments; a --rule (or --param) of the same role overrides the file's; implies --strategy rules.", valueName: "file"))
    var rulesFile: String?

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

    @Option(help: ArgumentHelp("Risk-free rate (continuous, per year, -0.1 to 1) in the option model's prices, for "
        + "strategies that trade options in a backtest (covered-call, iron-condor): at a positive rate a put is "
        + "priced American by Barone-Adesi-Whaley.", valueName: "rate"))
    var optionRate: Double = 0

    @Option(help: ArgumentHelp("Periods per year for annualizing (default: from the bar interval).", valueName: "n"))
    var periodsPerYear: Double?

    @Option(help: ArgumentHelp("TOML file whose [exits] table manages open positions (stops, targets, trailing, "
        + "time, scaled, end of day).", valueName: "file"))
    var exits: String?

    @Option(help: ArgumentHelp("TOML file whose [sizing] table sizes every entry (quantity, notional, percent, "
        + "fixed_fractional, kelly) in place of the strategy's own size.", valueName: "file"))
    var sizing: String?

    @Option(help: ArgumentHelp("The first N bars only warm the strategy up (its orders there are refused as warm_up), "
        + "as when `peregrine trade` starts after N bars of history; default 0. In stress, the bars before each decline "
        + "(default 100).", valueName: "n"))
    var warmUp: Int?

    @Option(help: ArgumentHelp("When the strategy acts, as `[trade] schedule` in trading: \"every bar\", \"every 15m\", "
        + "\"daily 15:45 America/New_York\"; its signals on other bars are held as off_schedule.", valueName: "schedule"))
    var schedule: String?

    /// Whether `--rule` or `--rules` gives rules.
    private var givesRules: Bool { !rules.isEmpty || rulesFile != nil }

    /// The strategy to run: `rules` when rules are given, else `--strategy`, else sma-cross.
    var strategyName: String { givesRules ? "rules" : strategy ?? "sma-cross" }

    /// These options with `name` as the strategy when neither `--strategy` nor a rule names one: a
    /// command whose usual strategy is another (tune's is signaling-game).
    func defaultingStrategy(to name: String) -> RunOptions {
        var options = self
        if options.strategy == nil && !options.givesRules { options.strategy = name }
        return options
    }

    /// The strategy's parameters as given (`--param`, `--rule`, `--rules`, `--quantity`), checked
    /// against its declarations; a sweep passes one combination of its grid as `completion`, since the
    /// grid supplies parameters (a rule's `$fast`) that are not given here.
    func strategyParameters(completion: [String: String] = [:]) throws -> StrategyParameters {
        if givesRules, let strategy, strategy != "rules" {
            throw ValidationError("--rule and --rules belong to the rules strategy; drop --strategy \(strategy)")
        }
        var assignments = parameters
        for rule in rules {
            let parts = rule.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["entry", "exit", "short_entry", "short_exit"].contains(parts[0]) else {
                throw ValidationError("--rule '\(rule)': expected entry=..., exit=..., short_entry=... or short_exit=...")
            }
            assignments.append(rule)
        }
        // The file's rules, less the roles given by --rule or --param.
        let file = try rulesFile.map(Self.ruleFile)
        let named = Set(assignments.map { String($0.prefix { $0 != "=" }) })
        let fromFile = (file?.rules ?? [:]).filter { !named.contains($0.key) }.sorted { $0.key < $1.key }
        assignments += fromFile.map { $0.key + "=" + $0.value }
        if let quantity {
            if parameters.contains(where: { $0.hasPrefix("quantity=") }) {
                throw ValidationError("give the quantity once: --quantity or --param quantity=")
            }
            assignments.append("quantity=\(quantity)")
        }
        let given: StrategyParameters, complete: StrategyParameters
        do {
            given = try StrategyParameters(assignments: assignments)
            complete = StrategyParameters(given.values.merging(completion) { $1 })
            try StrategyRegistry.shared.validate(strategy: strategyName, parameters: complete)
        } catch {
            throw ValidationError(error.message)
        }
        do { try file?.check(roles: fromFile.map(\.key), parameters: complete.values) } catch { throw ValidationError(error.description) }
        return given
    }

    /// A `--rules` file, read and parsed.
    private static func ruleFile(_ path: String) throws -> RuleFile {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ValidationError("--rules '\(path)': cannot read the file (\(error.localizedDescription))")
        }
        do { return try RuleFile(parsing: text, path: path) } catch { throw ValidationError(error.description) }
    }

    /// A sweep's grid (`--grid`, `--constraint`; sma-cross's `defaultAxes` when none are given), its
    /// combinations and the fixed parameters, every axis a declared parameter with valid values,
    /// checked before anything runs.
    func grid(axes: [String], constraints: [String], defaultAxes: [String]) throws
        -> (grid: StrategyGrid, combinations: [[String: String]], base: StrategyParameters)
    {
        let useDefault = axes.isEmpty && strategyName == "sma-cross"
        let grid: StrategyGrid
        do {
            grid = try StrategyGrid(axes: useDefault ? defaultAxes : axes,
                                    constraints: constraints.isEmpty && useDefault ? ["fast<slow"] : constraints)
        } catch { throw ValidationError(error.description) }
        guard !grid.axes.isEmpty else { throw ValidationError("give at least one --grid name=from..to[:step] for \(strategyName)") }
        let combinations = grid.combinations
        guard !combinations.isEmpty else { throw ValidationError("no combination meets the constraints") }
        let base = try strategyParameters(completion: combinations[0])
        do {
            let declared = try StrategyRegistry.shared.parameters(strategy: strategyName, given: base)
            for axis in grid.axes {
                guard let parameter = declared.first(where: { $0.name == axis.name }) else {
                    throw ConfigurationError("--grid \(axis.name): \(strategyName) has no such parameter; it takes "
                        + declared.map(\.name).joined(separator: ", "))
                }
                for value in axis.values { try parameter.check(value) }
            }
        } catch let error as ConfigurationError { throw ValidationError(error.message) }
        return (grid, combinations, base)
    }

    /// The run's configuration for these series (the default risk limits depend on the bar
    /// interval, the warm-up on the bar times).
    func configuration(series: [BarSeries]) throws -> BacktestConfiguration {
        var configuration = BacktestConfiguration()
        guard let initialCash = Money(cash), initialCash > .zero else {
            throw ValidationError("--cash '\(cash)': expected a positive amount such as 100000")
        }
        configuration.initialCash = initialCash
        configuration.strategyName = strategyName
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
        guard riskFree.isFinite else { throw ValidationError("--risk-free must be a number") }
        configuration.riskFreeRate = riskFree
        guard optionRate.isFinite, (-0.1...1).contains(optionRate) else {
            throw ValidationError("--option-rate \(optionRate): expected a rate from -0.1 to 1 (0.04 is 4% a year)")
        }
        configuration.optionRate = optionRate
        if let periodsPerYear {
            guard periodsPerYear > 0, periodsPerYear.isFinite else { throw ValidationError("--periods-per-year must be positive") }
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
        let riskChoice = try RiskChoice(risk)
        if let first = series.first { configuration.risk = riskChoice.limits(barInterval: first.typicalInterval) }
        if let warmUp, warmUp > 0 {
            let times = series.mergedTimestamps
            guard warmUp < times.count else { throw ValidationError("--warm-up \(warmUp): the data has only \(times.count) bar times") }
            configuration.tradingStart = Timestamp(nanoseconds: times[warmUp])
        } else if let warmUp, warmUp < 0 {
            throw ValidationError("--warm-up must be 0 or more")
        }
        if let schedule {
            do { configuration.schedule = try TradingSchedule(parsing: schedule) } catch { throw ValidationError("--\(error.description)") }
        }
        return configuration
    }
}
