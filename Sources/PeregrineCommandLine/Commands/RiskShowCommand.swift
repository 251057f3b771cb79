import ArgumentParser
import PeregrineData
import PeregrineRisk

struct RiskShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the effective risk limits: the defaults, or a configuration file's [risk] table over them.",
        discussion: """
            Fractions are of current equity. "off" means the check is disabled. The configuration keys are \
            documented in examples/peregrine.toml.

            Examples:
              peregrine risk show
              peregrine risk show --config examples/peregrine.toml
            """
    )

    @Option(help: ArgumentHelp("TOML configuration whose [risk] table sets the limits.", valueName: "file"))
    var config: String?

    func run() throws {
        let limits: RiskLimits
        if let config {
            do { limits = try RiskConfiguration.load(path: config) } catch { throw CLIFailure(error.description) }
        } else {
            limits = RiskLimits()
        }
        let problems = limits.validate()
        guard problems.isEmpty else { throw CLIFailure(problems.joined(separator: "\n")) }
        func fraction(_ value: Double?) -> String { value.map { Table.percent($0) } ?? "off" }
        var table = Table()
        table.add("max_position", fraction(limits.maxPositionFraction) + " of equity per instrument")
        table.add("max_open_positions", limits.maxOpenPositions.map(String.init) ?? "off")
        table.add("max_gross_exposure", fraction(limits.maxGrossExposure))
        table.add("max_net_exposure", fraction(limits.maxNetExposure))
        table.add("max_portfolio_delta", fraction(limits.maxPortfolioDelta) + (limits.maxPortfolioDelta == nil ? "" : " of equity in dollar delta (options delta-adjusted)"))
        table.add("max_portfolio_vega", fraction(limits.maxPortfolioVega) + (limits.maxPortfolioVega == nil ? "" : " of equity per volatility point"))
        table.add("max_portfolio_heat", fraction(limits.maxPortfolioHeat) + " (positions without a stop count at "
            + Table.percent(limits.assumedStopDistance) + ")")
        table.add("daily_loss_limit", fraction(limits.dailyLossLimit) + " of the session's starting equity; reducing-only until the next session")
        table.add("max_drawdown", fraction(limits.maxDrawdown) + " from the equity peak; flatten and halt until resumed")
        if let c = limits.correlation {
            table.add("correlation", "positions correlated above \(c.threshold) over \(c.window) returns: at most "
                + Table.percent(c.maxCombinedWeight) + " combined")
        } else {
            table.add("correlation", "off")
        }
        table.add("contradictory_positions", limits.refuseContradictoryPositions ? "refused (groups: \(limits.underlyingGroups.isEmpty ? "none" : limits.underlyingGroups.map { $0.joined(separator: "+") }.joined(separator: ", ")))" : "allowed")
        switch limits.reentryCooldown {
        case .seconds(let s)?: table.add("reentry_cooldown", "\(s) s")
        case .bars(let b)?: table.add("reentry_cooldown", "\(b) bars")
        case nil: table.add("reentry_cooldown", "off")
        }
        if let g = limits.stoplossGuard {
            table.add("stoploss_guard", "\(g.stopOuts) stop-outs within \(g.windowSeconds) s pause the symbol for \(g.pauseSeconds) s")
        }
        if let s = limits.losingStreak {
            table.add("losing_streak", "after \(s.after) losing round trips entries are sized x\(s.multiplier) until a winner")
        }
        if let b = limits.strategyBreaker {
            table.add("strategy_breaker", "reducing-only after \(b.reduceAfterLosses.map(String.init) ?? "off"), halted after "
                      + "\(b.haltAfterLosses.map(String.init) ?? "off") losing round trips in a row")
        } else {
            table.add("strategy_breaker", "off")
        }
        if let v = limits.valueAtRisk {
            var method = v.method.label
            if case .monteCarlo(let paths, let seed) = v.method { method += " (\(paths) paths, seed \(seed))" }
            table.add("value_at_risk", "one-bar \(fraction(v.confidence)) \(method) VaR after an order at most \(fraction(v.maxFraction)) "
                      + "of equity (\(v.window) bars)")
        } else {
            table.add("value_at_risk", "off")
        }
        table.add("price_band", fraction(limits.priceBand) + " from the last price")
        table.add("order_notional", "min \(limits.minOrderNotional?.formatted() ?? "off"), max \(limits.maxOrderNotional?.formatted() ?? "off")")
        table.add("max_orders_per_minute", limits.maxOrdersPerMinute.map(String.init) ?? "off")
        var sizing: SizingPolicy?
        if let config {
            do { sizing = try SizingConfiguration.load(path: config) } catch { throw CLIFailure(error.description) }
        }
        table.add("sizing", sizing.map { "[sizing] \($0.method.rawValue): \($0.description), at most \(fraction($0.maxPosition)) of equity" }
                  ?? "each strategy's own size (no [sizing] table)")
        print(table.render())
    }
}
