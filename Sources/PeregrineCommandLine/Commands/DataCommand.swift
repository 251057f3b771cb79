import ArgumentParser

struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Check, generate, import, adjust and resample market data.",
        discussion: """
            Examples:
              peregrine data validate ../shared/data/orcl_daily.csv
              peregrine data generate --out bars.csv --bars 100000 --seed 42
              peregrine data import --store peregrine.sqlite --data ../shared/data/orcl_daily.csv
              peregrine data adjust --data ../shared/data/aapl_daily_unadjusted.csv --corporate-actions ../shared/data/aapl_lean_factor_file.csv --out aapl_adjusted.csv
              peregrine data resample --data ../shared/data/fesx_1min_2006.csv --to 1H --timezone Europe/Berlin --out fesx_1h.csv
            """,
        subcommands: [DataValidateCommand.self, DataGenerateCommand.self, DataImportCommand.self, DataDownloadCommand.self,
                      DataAdjustCommand.self, DataResampleCommand.self]
    )
}
