import ArgumentParser
import PeregrineCore
import PeregrineData
import PeregrineStorage

struct DataImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load CSV bars into a SQLite store, one symbol per file.",
        discussion: """
            Bars already in the store are skipped; a bar that differs from the stored one at the same time \
            stops the import of that file with both versions shown (nothing is overwritten).

            Examples:
              peregrine data import --store peregrine.sqlite --data ../shared/data/orcl_daily.csv
              peregrine data import --store peregrine.sqlite --data synthetic:bars=10000 --symbol SYN
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("The SQLite store file (created if missing).", valueName: "file"))
    var store: String

    func run() throws {
        let sources = try dataOptions.load()
        let database: TradingStore
        do { database = try TradingStore(path: store) } catch { throw CLIFailure.store("--store", store, error) }
        for source in sources {
            let symbol = source.series.instrument.symbol
            do {
                let added = try database.importBars(source.series.bars, symbol: symbol)
                print("\(source.name): \(added) new bars for \(symbol) (\(source.series.count - added) already stored)")
            } catch {
                throw CLIFailure("\(source.name): \(error)")
            }
        }
    }
}
