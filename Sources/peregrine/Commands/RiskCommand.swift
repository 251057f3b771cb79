import ArgumentParser

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Inspect the risk layer.",
        discussion: """
            Example:
              peregrine risk show
            """,
        subcommands: [RiskShowCommand.self]
    )
}
