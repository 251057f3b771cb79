import ArgumentParser

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Check and generate market data files.",
        discussion: """
            Examples:
              peregrine data validate ../shared/data/orcl_daily.csv
              peregrine data generate --out bars.csv --bars 100000 --seed 42
            """,
        subcommands: [DataValidateCommand.self, DataGenerateCommand.self]
    )
}
