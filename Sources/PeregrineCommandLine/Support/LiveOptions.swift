import ArgumentParser
import Foundation
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies

/// The live opt-in of the commands that trade (`trade`, `run`): --live every time, and the validation
/// gate's backtest (--validate-on) unless the person overrides it.
struct LiveOptions: ParsableArguments {
    @Flag(help: "Required with --mode live: this run sends real orders.")
    var live = false

    @Option(help: ArgumentHelp("Data (file, folder or synthetic) for the live validation gate's backtest.", valueName: "path"))
    var validateOn: String?

    @Flag(help: "Live: trade even though the strategy fails the validation gate.")
    var overrideGate = false

    /// Live only: a backtest of the same strategy, limits and exits on --validate-on data must pass the
    /// gate, with the thresholds of the configuration file's `[validation]` table when it has one.
    func checkValidationGate(_ file: TradeConfiguration, bot: String? = nil, configuration path: String) throws {
        if overrideGate {
            Console.error("validation gate overridden (--override-gate)")
            return
        }
        guard let validateOn else {
            throw CLIFailure("live trading needs --validate-on DATA (the gate's backtest) or --override-gate")
        }
        let gate: ValidationGate
        do { gate = ValidationGate(try ValidationSettings.load(path: path)) } catch { throw CLIFailure(error.description) }
        let sources = try DataOptions.parse(["--data", validateOn]).load().map(\.series)
        var configuration = BacktestConfiguration()
        configuration.risk = file.risk
        configuration.exits = file.exits
        configuration.allowShort = file.allowShort
        configuration.schedule = file.schedule
        configuration.sizing = file.sizing
        configuration.recordDecisions = false
        // A portfolio's sleeves are judged each on its own, with the whole cash.
        var strategies = [(file.strategy, StrategyParameters(file.parameters))]
        if let portfolio = file.portfolio {
            strategies = []
            for text in portfolio.sleeves {
                do { let sleeve = try MultiStrategyBacktest.Sleeve(parsing: text); strategies.append((sleeve.strategy, sleeve.parameters)) } catch {
                    throw CLIFailure("trade.portfolio: \(error.message)")
                }
            }
        }
        for (strategy, parameters) in strategies {
            let result = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: parameters, series: sources, configuration: configuration)
            let verdict = gate.judge(result)
            print("validation gate on \(validateOn) for \(strategy) \(parameters.text): \(verdict.description)")
            guard verdict.passed else {
                throw CLIFailure("live trading refused: " + (bot.map { "bot \($0): " } ?? "") + "\(strategy) fails the validation gate (--override-gate to trade anyway)")
            }
        }
    }
}
