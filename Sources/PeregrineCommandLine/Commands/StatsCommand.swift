import ArgumentParser

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Time-series statistics for statistical arbitrage: unit roots, cointegration, mean reversion.",
        discussion: """
            Examples:
              peregrine stats adf --data prices.csv --log --regression c --out adf.json
              peregrine stats johansen --data a.csv --data b.csv --data c.csv --log --out johansen.json
              peregrine stats hurst --data prices.csv --log
            """,
        subcommands: [StatsADFCommand.self, StatsJohansenCommand.self, StatsHurstCommand.self]
    )
}
