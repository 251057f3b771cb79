import ArgumentParser
import PeregrineData
import PeregrineModels

struct OptionsImpliedVolatilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iv",
        abstract: "The implied volatility of a European option's price under Black-Scholes-Merton.",
        discussion: """
            Solves for the volatility at which the Black-Scholes-Merton price equals --price, by Newton's \
            method on vega kept inside a bracket that always holds the root (secant or bisection steps where \
            Newton would leave it). A price outside the no-arbitrage bounds (for a call, between the \
            discounted forward's intrinsic value and the discounted spot; for a put, between its intrinsic \
            value and the discounted strike) has no implied volatility and is refused with the bounds named.

            Examples:
              peregrine options iv --type call --price 6.2 --spot 100 --strike 105 --rate 0.04 --expiry 0.5
              peregrine options iv --type put --price 4.1 --spot 100 --strike 95 --rate 0.02 --dividend 0.01 --expiry 0.25 --json
            """
    )

    @OptionGroup var contract: OptionInputOptions

    @Option(help: ArgumentHelp("The option's price.", valueName: "price"))
    var price: Double

    func run() throws {
        let type = try contract.optionType()
        let inputs = try contract.inputs(volatility: 0)
        let implied: Double
        do { implied = try ImpliedVolatility.solve(type, price: price, inputs: inputs) } catch { throw CLIFailure(error.description) }
        if contract.json {
            var json = JSONObject()
            json.set("implied_vol", implied)
            print(json.render())
        } else {
            print("implied_vol  \(Table.number(implied, places: 10))")
        }
    }
}
