import PeregrineEngine
import PeregrineStrategies

/// The whole `peregrine` command line as a library, so a user's own executable can run it with
/// strategies of their own registered beside the built-in ones:
///
///     import PeregrineCommandLine
///     await PeregrineCommandLine.main(registering: [MyStrategy.self])
///
/// Every command that takes `--strategy` (backtest, sweep, walkforward, tune, montecarlo, stress,
/// portfolio, trade) then knows the new names, and `peregrine strategies` lists them.
public enum PeregrineCommandLine {
    /// Registers `strategies`, parses the process's arguments and runs the command; exits the process
    /// with the command's status. A strategy whose name is taken stops with a message before anything runs.
    public static func main(registering strategies: [any DeclaredStrategy.Type] = [], arguments: [String]? = nil) async {
        do {
            for strategy in strategies { try StrategyRegistry.shared.register(strategy) }
        } catch {
            PeregrineCommand.exit(withError: error)
        }
        let given = withServeDefault(arguments ?? Array(CommandLine.arguments.dropFirst()))
        CommandArguments.record(given)
        await PeregrineCommand.main(given)
    }

    /// `--serve` given without an address (last, or before another option) means the default one;
    /// the argument parser has no option whose value may be left out, so it is written in here.
    static func withServeDefault(_ arguments: [String]) -> [String] {
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            result.append(argument)
            if argument == "--serve", index + 1 == arguments.count || arguments[index + 1].hasPrefix("-") {
                result.append(ServeOptions.defaultAddress)
            }
        }
        return result
    }
}
