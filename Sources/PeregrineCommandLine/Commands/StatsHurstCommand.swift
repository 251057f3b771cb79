import ArgumentParser
import PeregrineData
import PeregrineModels

struct StatsHurstCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hurst",
        abstract: "Hurst exponent and half-life of mean reversion of a series' closes.",
        discussion: """
            The Hurst exponent H is the slope of log std(x[t+lag] - x[t]) on log lag over lags 2 to \
            --max-lag (default min(100, n/4)): about 0.5 for a random walk, below for a mean-reverting series, \
            above for a trending one. The half-life regresses the change of the series on its previous value \
            (with a constant) and is -ln 2 / slope bars, null in the JSON when the slope is not negative (no \
            reversion). Use --log for prices.

            Example:
              peregrine stats hurst --data ../shared/data/orcl_daily.csv --log --out hurst.json
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "Use the natural log of the closes.")
    var log = false

    @Option(help: ArgumentHelp("Largest lag of the Hurst fit.", valueName: "n"))
    var maxLag: Int?

    @Option(help: ArgumentHelp("Write the result here as JSON.", valueName: "file"))
    var out: String?

    func run() throws {
        if let maxLag, maxLag < 4 { throw ValidationError("--max-lag \(maxLag): use 4 or more") }
        let series = try CloseSeries.load(dataOptions, log: log)
        guard series.count == 1 else { throw ValidationError("stats hurst takes one data file, got \(series.count)") }
        let input = series[0]
        let hurst: Double, halfLife: MeanReversionHalfLife
        do {
            hurst = try HurstExponent.estimate(input.values, lags: maxLag.map { 2...$0 })
            halfLife = try MeanReversionHalfLife(input.values)
        } catch {
            throw CLIFailure("\(input.file): \(log ? "log " : "")closes: \(error)")
        }
        var table = Table()
        table.add("series", "\(input.symbol) \(log ? "log closes" : "closes"), \(input.values.count) bars")
        table.add("Hurst exponent", Table.number(hurst, places: 4))
        table.add("half-life", halfLife.bars.isFinite ? "\(Table.number(halfLife.bars, places: 2)) bars" : "none (no reversion)")
        print(table.render())
        guard let out else { return }
        var json = JSONObject()
        json.set("hurst", hurst)
        if halfLife.bars.isFinite { json.set("half_life", halfLife.bars) } else { json.set("half_life", Double.nan) }
        json.set("reversion_slope", halfLife.slope)
        json.set("rows", input.values.count)
        json.set("file", input.file)
        do { try TextFileWriter.write(json.render() + "\n", to: out) } catch { throw CLIFailure(error.description) }
        print("wrote \(out)")
    }
}
