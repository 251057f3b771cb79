import ArgumentParser
import PeregrineData
import PeregrineModels

struct StatsADFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adf",
        abstract: "Augmented Dickey-Fuller unit-root test of a series' closes, lag chosen by AIC.",
        discussion: """
            Regresses the change of the close on the deterministic terms (--regression c: a constant, ct: a \
            constant and a linear trend, n: neither), the previous close and 0 to --max-lag lagged changes, \
            keeping the lag with the lowest AIC (every candidate fitted on the same rows), as statsmodels' \
            adfuller(autolag="AIC") does; the default max lag is 12 (n/100)^(1/4). The statistic is the \
            t-value of the previous close; a statistic below a critical value rejects a unit root at that \
            level. p-values are MacKinnon's (1994) approximations and critical values his (2010) response \
            surfaces for the number of rows used.

            The JSON holds statistic, p_value, lags, nobs (rows of the final regression), critical_values \
            (1%, 5%, 10%), aic, regression, max_lag, log and file. Use --log for prices, whose changes scale with \
            their level.

            Example:
              peregrine stats adf --data ../shared/data/orcl_daily.csv --log --regression ct --out adf.json
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "Test the natural log of the closes.")
    var log = false

    @Option(help: ArgumentHelp("Deterministic terms: c (constant), ct (constant and trend) or n (none).", valueName: "c|ct|n"))
    var regression: String = "c"

    @Option(help: ArgumentHelp("Largest lag AIC may choose (default 12 (n/100)^(1/4)).", valueName: "n"))
    var maxLag: Int?

    @Option(help: ArgumentHelp("Write the result here as JSON.", valueName: "file"))
    var out: String?

    func run() throws {
        guard let regression = AugmentedDickeyFuller.Regression(rawValue: regression) else {
            throw ValidationError("--regression '\(regression)': use c (constant), ct (constant and trend) or n (none)")
        }
        if let maxLag, maxLag < 0 { throw ValidationError("--max-lag \(maxLag): use 0 or more") }
        let series = try CloseSeries.load(dataOptions, log: log)
        guard series.count == 1 else { throw ValidationError("stats adf takes one data file, got \(series.count)") }
        let input = series[0]
        let result: AugmentedDickeyFuller.Result
        do {
            result = try AugmentedDickeyFuller.test(input.values, regression: regression, maxLag: maxLag)
        } catch {
            throw CLIFailure("\(input.file): \(log ? "log " : "")closes: \(error)")
        }
        let usedMaxLag = maxLag ?? AugmentedDickeyFuller.defaultMaxLag(observations: input.values.count, regression: regression)
        var table = Table()
        table.add("series", "\(input.symbol) \(log ? "log closes" : "closes"), \(input.values.count) bars")
        table.add("statistic", Table.number(result.statistic, places: 4))
        table.add("p-value", Table.number(result.pValue, places: 4))
        table.add("lags (AIC)", "\(result.lags) of at most \(usedMaxLag)")
        table.add("observations", "\(result.observations)")
        table.add("critical values", "1% \(Table.number(result.criticalValues.onePercent, places: 4)), "
            + "5% \(Table.number(result.criticalValues.fivePercent, places: 4)), 10% \(Table.number(result.criticalValues.tenPercent, places: 4))")
        print(table.render())
        guard let out else { return }
        var critical = JSONObject()
        critical.set("1%", result.criticalValues.onePercent)
        critical.set("5%", result.criticalValues.fivePercent)
        critical.set("10%", result.criticalValues.tenPercent)
        var json = JSONObject()
        json.set("statistic", result.statistic)
        json.set("p_value", result.pValue)
        json.set("lags", result.lags)
        json.set("nobs", result.observations)
        json.set("critical_values", critical)
        json.set("aic", result.aic)
        json.set("regression", regression.rawValue)
        json.set("max_lag", usedMaxLag)
        json.set("log", log)
        json.set("file", input.file)
        do { try TextFileWriter.write(json.render() + "\n", to: out) } catch { throw CLIFailure(error.description) }
        print("wrote \(out)")
    }
}
