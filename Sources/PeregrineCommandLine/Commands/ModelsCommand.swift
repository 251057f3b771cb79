import ArgumentParser

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Fit statistical models to market data.",
        discussion: """
            Example:
              peregrine models hmm --data prices.csv --states 3 --seed 0 --out hmm.json
            """,
        subcommands: [ModelsHMMCommand.self]
    )
}
