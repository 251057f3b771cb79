import ArgumentParser

struct OptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "options",
        abstract: "Price options and their Greeks, implied and forecast volatility, option strategies.",
        discussion: """
            Examples:
              peregrine options price --type call --spot 100 --strike 105 --vol 0.25 --rate 0.04 --dividend 0.01 --expiry 0.5
              peregrine options price --type put --style american --model bjs --spot 100 --strike 105 --vol 0.25 --rate 0.04 --expiry 0.5 --json
              peregrine options iv --type call --price 6.2 --spot 100 --strike 105 --rate 0.04 --expiry 0.5
              peregrine options vol --data ../shared/data/orcl_daily.csv --model garch --horizon 21
              peregrine options strategy iron-condor --spot 100 --strikes 85,95,105,115 --expiry 0.0822 --vol 0.25 --plot condor.svg
              peregrine options smile --chain aapl_chain.csv --spot 191.5 --rate 0.045 --as-of 2024-01-02
              peregrine options contracts --underlying AAPL --expiration-from 2024-01-19 --type call
            """,
        subcommands: [OptionsPriceCommand.self, OptionsImpliedVolatilityCommand.self, OptionsVolatilityCommand.self,
                      OptionsStrategyCommand.self, OptionsSmileCommand.self, OptionsContractsCommand.self]
    )
}
