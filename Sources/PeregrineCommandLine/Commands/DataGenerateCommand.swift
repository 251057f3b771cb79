import ArgumentParser
import PeregrineData

struct DataGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic OHLCV bars (seeded GBM with regimes and jumps) to a CSV file.",
        discussion: """
            Intraday bars fall inside the session (09:30-16:00 New York on weekdays by default). \
            The same options always give the same file.

            Examples:
              peregrine data generate --out bars.csv
              peregrine data generate --out bars_1m.csv --bars 1000000 --seed 42 --interval 1min
              peregrine data generate --out daily.csv --bars 2520 --interval 1d --options drift=0.08,vol=0.25
            """
    )

    @Option(help: ArgumentHelp("Output CSV file.", valueName: "file"))
    var out: String

    @Option(help: "Number of bars.")
    var bars: Int = 100_000

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Bar length: 1min, 5min, 15min, 30min, 1h or 1d.", valueName: "interval"))
    var interval: String = "1min"

    @Option(help: ArgumentHelp("More generator options: start, price, drift, vol, regimes, jumps, tick, symbol, calendar.",
                               valueName: "key=value,..."))
    var options: String = ""

    func run() throws {
        guard bars > 0 else { throw ValidationError("--bars must be positive") }
        let spec = "bars=\(bars),seed=\(seed),interval=\(interval)" + (options.isEmpty ? "" : "," + options)
        let parsed: SyntheticMarket.Options
        do { parsed = try SyntheticMarket.Options(specification: spec) } catch { throw ValidationError(error.description) }
        let series = SyntheticMarket(options: parsed).generate()
        do { try BarCSVWriter.write(series, to: out) } catch { throw CLIFailure(error.description) }
        print("wrote \(series.count) bars of \(series.instrument.symbol) to \(out)")
    }
}
