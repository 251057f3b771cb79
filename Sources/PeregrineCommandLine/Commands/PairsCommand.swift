import ArgumentParser

struct PairsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pairs",
        abstract: "Find and hedge cointegrated pairs.",
        discussion: """
            Examples:
              peregrine pairs scan --data ../shared/data --log --out pairs.csv
              peregrine pairs hedge --data ko.csv --data pep.csv --method kalman --out hedge.csv
            """,
        subcommands: [PairsScanCommand.self, PairsHedgeCommand.self]
    )
}
