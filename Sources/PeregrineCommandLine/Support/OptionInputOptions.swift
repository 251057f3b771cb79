import ArgumentParser
import PeregrineModels

/// What every options command needs to know about the contract and the market.
struct OptionInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("call or put.", valueName: "type"))
    var type: String

    @Option(help: ArgumentHelp("Price of the underlying (of the future with --model black76).", valueName: "price"))
    var spot: Double

    @Option(help: ArgumentHelp("Strike price.", valueName: "price"))
    var strike: Double

    @Option(help: ArgumentHelp("Continuously compounded risk-free rate, e.g. 0.04.", valueName: "rate"))
    var rate: Double = 0

    @Option(help: ArgumentHelp("Continuous dividend yield, e.g. 0.01.", valueName: "yield"))
    var dividend: Double = 0

    @Option(help: ArgumentHelp("Time to expiry in years (Actual/365: 30 days is 30/365 = 0.0822).", valueName: "years"))
    var expiry: Double

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func optionType() throws -> OptionType {
        guard let parsed = OptionType(rawValue: type) else { throw ValidationError("--type '\(type)': use call or put") }
        return parsed
    }

    func inputs(volatility: Double) throws -> OptionInputs {
        let inputs = OptionInputs(spot: spot, strike: strike, volatility: volatility, rate: rate, dividend: dividend, expiry: expiry)
        if let problem = inputs.problem { throw ValidationError(problem) }
        return inputs
    }
}
