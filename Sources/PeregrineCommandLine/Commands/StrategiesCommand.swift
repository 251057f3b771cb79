import ArgumentParser
import PeregrineEngine
import PeregrineStrategies

struct StrategiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategies",
        abstract: "List the strategies (built-in and registered) and the parameters each declares.",
        discussion: """
            Each parameter shows its kind, its allowed range or choices, its default and what it does. Every --param, \
            configuration value and sweep grid is checked against these declarations before a strategy is built. \
            The rules strategy also takes a parameter for each $name its rules use. Give a name to see one strategy.

            Examples:
              peregrine strategies
              peregrine strategies sma-cross
            """
    )

    @Argument(help: ArgumentHelp("Show only this strategy.", valueName: "name"))
    var name: String?

    func run() throws {
        var strategies = StrategyRegistry.shared.all
        if let name {
            do { strategies = [try StrategyRegistry.shared.strategy(named: name)] } catch { throw ValidationError(error.message) }
        }
        for (index, strategy) in strategies.enumerated() {
            if index > 0 { print("") }
            print("\(strategy.name): \(strategy.summary)")
            let width = strategy.parameters.map(\.name.count).max() ?? 0
            for parameter in strategy.parameters {
                let value = parameter.defaultValue.map { ", default \($0)" } ?? (parameter.isRequired ? ", required" : ", optional")
                print("  \(parameter.name.padding(toLength: width, withPad: " ", startingAt: 0))  "
                    + "\(parameter.help) (\(parameter.kind.description)\(value))")
            }
        }
    }
}
