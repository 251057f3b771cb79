import ArgumentParser

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Fit statistical models to market data and solve the game-theory models.",
        discussion: """
            Examples:
              peregrine models hmm --data prices.csv --states 3 --seed 0 --out hmm.json
              peregrine models nash --payoffs examples/battle_of_the_sexes.csv
              peregrine models signaling --data prices.csv --out game.csv
            """,
        subcommands: [ModelsHMMCommand.self, ModelsNashCommand.self, ModelsSignalingCommand.self]
    )
}
