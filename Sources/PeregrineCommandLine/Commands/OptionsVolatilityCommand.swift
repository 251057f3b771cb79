import ArgumentParser
import PeregrineData
import PeregrineModels

struct OptionsVolatilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vol",
        abstract: "Forecast an underlying's volatility from its bars (historical, EWMA or GARCH(1,1)).",
        discussion: """
            Every model starts from the close-to-close log returns of one --data series and prints an \
            annualized volatility, the square root of the per-bar variance times --periods-per-year (252 for \
            daily bars), to give options price --vol.

            --model hist: the sample standard deviation (n - 1) of the returns, or of the last --window \
            of them. --model ewma: RiskMetrics' exponentially weighted variance s = lambda s + (1 - lambda) \
            r^2 with zero mean, seeded with the first squared return (--lambda, default 0.94), which is \
            the forecast for the next bar. --model garch: GARCH(1,1) with a constant mean and normal shocks \
            fitted by maximum likelihood (the arch package's likelihood, with its backcast for the first \
            variance); it prints the parameters, the persistence alpha + beta, the long-run volatility, \
            and the variance expected on each of the next --horizon bars; the volatility is that of the \
            whole horizon, sqrt(periods per year x mean of the forecast variances), the one to price an \
            option expiring after --horizon bars.

            Examples:
              peregrine options vol --data ../shared/data/orcl_daily.csv --model hist --window 60
              peregrine options vol --data ../shared/data/orcl_daily.csv --model ewma --lambda 0.97
              peregrine options vol --data ../shared/data/nvda_daily.csv --model garch --horizon 21 --json
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("hist, ewma or garch.", valueName: "model"))
    var model: String = "hist"

    @Option(help: ArgumentHelp("With hist: use only the last n returns.", valueName: "n"))
    var window: Int?

    @Option(help: ArgumentHelp("With ewma: the decay, between 0 and 1.", valueName: "lambda"))
    var lambda: Double = 0.94

    @Option(help: ArgumentHelp("With garch: bars to forecast (1 to 10000).", valueName: "bars"))
    var horizon: Int = 21

    @Option(help: ArgumentHelp("Bars in a year, to annualize (252 for daily bars).", valueName: "n"))
    var periodsPerYear: Double = 252

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        guard periodsPerYear > 0 && periodsPerYear.isFinite else { throw ValidationError("--periods-per-year \(periodsPerYear): use a positive number") }
        guard (1...10_000).contains(horizon) else { throw ValidationError("--horizon \(horizon): use 1 to 10000 bars") }
        if window != nil && model != "hist" { throw ValidationError("--window goes with --model hist; ewma and garch weigh every return") }
        let series = try CloseSeries.load(dataOptions, log: false)
        guard series.count == 1 else { throw ValidationError("options vol takes one data file, got \(series.count)") }
        let input = series[0]
        var rows: [(String, Double)] = []
        var forecast: [Double] = []
        do {
            switch model {
            case "hist":
                rows.append(("volatility", try HistoricalVolatility.annualized(closes: input.values, window: window, periodsPerYear: periodsPerYear)))
            case "ewma":
                let variance = try EWMAVolatility.nextVariance(closes: input.values, lambda: lambda)
                rows.append(("volatility", (variance * periodsPerYear).squareRoot()))
                rows.append(("next_variance", variance))
            case "garch":
                let garch = try GARCH11.fit(closes: input.values)
                forecast = garch.forecastVariances(horizon: horizon)
                let mean = forecast.reduce(0, +) / Double(forecast.count)
                rows += [("volatility", (mean * periodsPerYear).squareRoot()), ("mu", garch.mu), ("omega", garch.omega), ("alpha", garch.alpha),
                         ("beta", garch.beta), ("persistence", garch.persistence),
                         ("long_run_volatility", (garch.longRunVariance * periodsPerYear).squareRoot()), ("log_likelihood", garch.logLikelihood)]
            default:
                throw ValidationError("--model '\(model)': use hist, ewma or garch")
            }
        } catch let error as VolatilityInputError {
            throw CLIFailure("\(input.file): \(error.description)")
        }
        if json {
            var object = JSONObject()
            object.set("model", model)
            object.set("file", input.file)
            object.set("returns", input.values.count - 1)
            for (name, value) in rows { object.set(name, value) }
            if !forecast.isEmpty { object.set("forecast_variances", numbers: forecast) }
            print(object.render())
        } else {
            var table = Table()
            table.add("series", "\(input.symbol), \(input.values.count - 1) returns, model \(model)")
            for (name, value) in rows { table.add(name, Table.number(value, places: 10)) }
            if !forecast.isEmpty {
                table.add("forecast", "variance per bar for bars 1...\(horizon): " + forecast.prefix(5).map { Table.number($0, places: 8) }.joined(separator: ", ")
                    + (forecast.count > 5 ? ", ... \(Table.number(forecast[forecast.count - 1], places: 8))" : ""))
            }
            print(table.render())
        }
    }
}
