import ArgumentParser
import PeregrineCore
import PeregrineData

struct DataAdjustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Write bars adjusted backward for splits and dividends.",
        discussion: """
            Reads one bar file and its corporate actions, and writes the bars adjusted so that prices \
            before each action line up with those after it: a split divides earlier prices by its \
            ratio and multiplies earlier volumes by it; with --adjustment adjusted (the default) a \
            dividend also scales earlier prices by one minus the dividend over the close before the \
            ex-date, as total-return series do; with --adjustment splits, dividends are left out. The \
            last bar keeps its prices.

            The corporate actions come from a factor file as QuantConnect's Lean writes them \
            (date,price_factor,split_factor,reference_price: each change takes effect on the next \
            weekday; dividends are derived from the factors and rounded to 0.0001) or from an events \
            file (date,type,value with split 2:1 or dividend 0.82, optionally with a symbol column). \
            The same file works with backtest --corporate-actions, where --adjustment raw keeps the \
            bars as traded and applies the actions to the books instead.

            Example:
              peregrine data adjust --data ../shared/data/aapl_daily_unadjusted.csv --corporate-actions ../shared/data/aapl_lean_factor_file.csv --out aapl_adjusted.csv
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("Output CSV file.", valueName: "file"))
    var out: String

    func run() throws {
        guard dataOptions.corporateActions != nil else { throw ValidationError("give --corporate-actions FILE") }
        var options = dataOptions
        if options.adjustment == "raw" { options.adjustment = "adjusted" }
        guard options.adjustment != "raw", try options.adjustmentMode() != nil else {
            throw ValidationError("--adjustment: use adjusted or splits")
        }
        let sources = try options.load()
        guard sources.count == 1 else { throw ValidationError("give one bar file (found \(sources.count) sources)") }
        do { try BarCSVWriter.write(sources[0].series, to: out) } catch { throw CLIFailure(error.description) }
        print("wrote \(sources[0].series.count) adjusted bars of \(sources[0].series.instrument.symbol) to \(out)")
    }
}
