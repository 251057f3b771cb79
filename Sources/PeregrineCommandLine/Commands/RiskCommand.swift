import ArgumentParser

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Inspect the risk layer, and resume trading after a halt.",
        discussion: """
            Examples:
              peregrine risk show
              peregrine risk status --store peregrine-trading.sqlite
              peregrine risk resume --store peregrine-trading.sqlite --strategy sma-cross --by alice
            """,
        subcommands: [RiskShowCommand.self, RiskStatusCommand.self, RiskResumeCommand.self]
    )
}
