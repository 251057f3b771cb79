import ArgumentParser
import PeregrineModels

/// The underlying's spot, rate and dividend yield, shared by the options commands that value many
/// contracts on one underlying (`options strategy`, `options smile`).
struct UnderlyingMarketOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Price of the underlying.", valueName: "price"))
    var spot: Double

    @Option(help: ArgumentHelp("Continuously compounded risk-free rate, e.g. 0.04.", valueName: "rate"))
    var rate: Double = 0

    @Option(help: ArgumentHelp("Continuous dividend yield, e.g. 0.01.", valueName: "yield"))
    var dividend: Double = 0

    /// The market at `volatility`, refused with the reason when it cannot be priced.
    func market(volatility: Double) throws -> OptionMarket {
        if let problem = OptionInputs(spot: spot, strike: spot, volatility: volatility, rate: rate, dividend: dividend, expiry: 0).problem {
            throw ValidationError(problem)
        }
        return OptionMarket(spot: spot, volatility: volatility, rate: rate, dividend: dividend)
    }
}
