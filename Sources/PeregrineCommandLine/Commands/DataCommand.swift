import ArgumentParser

struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Check, generate, import, adjust, resample, download and stream market data.",
        discussion: """
            Examples:
              peregrine data validate ../shared/data/orcl_daily.csv
              peregrine data generate --out bars.csv --bars 100000 --seed 42
              peregrine data import --store peregrine.sqlite --data ../shared/data/orcl_daily.csv
              peregrine data adjust --data ../shared/data/aapl_daily_unadjusted.csv --corporate-actions ../shared/data/aapl_lean_factor_file.csv --out aapl_adjusted.csv
              peregrine data resample --data ../shared/data/fesx_1min_2006.csv --to 1H --timezone Europe/Berlin --out fesx_1h.csv
              peregrine data download --symbols BTC/USD --asset-class crypto --timeframe 1Min --start 2024-06-07 --out crypto/
              peregrine data latest --symbols AAPL,BTC/USD
              peregrine data stream --symbols AAPL --channels quotes,trades
            """,
        subcommands: [DataValidateCommand.self, DataGenerateCommand.self, DataImportCommand.self, DataDownloadCommand.self,
                      DataAdjustCommand.self, DataResampleCommand.self, DataLatestCommand.self, DataStreamCommand.self,
                      DataCorporateActionsCommand.self]
    )
}
