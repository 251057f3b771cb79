import ArgumentParser

struct OptionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "options",
        abstract: "Price options, their Greeks and implied volatility.",
        discussion: """
            Examples:
              peregrine options price --type call --spot 100 --strike 105 --vol 0.25 --rate 0.04 --dividend 0.01 --expiry 0.5
              peregrine options price --type put --style american --model leisen-reimer --steps 501 --spot 100 --strike 105 --vol 0.25 --rate 0.04 --expiry 0.5 --json
              peregrine options iv --type call --price 6.2 --spot 100 --strike 105 --rate 0.04 --expiry 0.5
            """,
        subcommands: [OptionsPriceCommand.self, OptionsImpliedVolatilityCommand.self]
    )
}
