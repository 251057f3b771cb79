import ArgumentParser
import PeregrineCore
import PeregrineData
import PeregrineEngine

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Return statistics of a price series (close-to-close), like a benchmark tearsheet.",
        discussion: """
            Definitions follow empyrical: sample standard deviation, CAGR, drawdown from the first close, \
            historical VaR at the 5th percentile and CVaR as the mean of the worst 5%.

            Examples:
              peregrine analyze --data ../shared/data/orcl_daily.csv
              peregrine analyze --data prices.csv --risk-free 0.02 --out stats.json
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("Annual risk-free rate for Sharpe and Sortino.", valueName: "rate"))
    var riskFree: Double = 0

    @Option(help: ArgumentHelp("Periods per year (default: 252 for daily bars, scaled for intraday).", valueName: "n"))
    var periodsPerYear: Double?

    @Option(help: ArgumentHelp("Write the statistics as JSON here.", valueName: "file"))
    var out: String?

    func run() throws {
        let sources = try dataOptions.load()
        var combined = JSONObject()
        for source in sources {
            let series = source.series
            guard series.count >= 2 else { throw CLIFailure("\(source.name): need at least two bars for returns") }
            let closes = series.closes.map { Double($0) / Double(Price.scale) }
            let perYear = periodsPerYear ?? BacktestConfiguration.inferredPeriodsPerYear(
                interval: series.typicalInterval, calendar: series.instrument.assetClass.defaultCalendar)
            let stats = ReturnStatistics(returns: ReturnStatistics.simpleReturns(closes), periodsPerYear: perYear,
                                         riskFreeRate: riskFree)
            var json = JSONObject()
            json.set("symbol", series.instrument.symbol)
            json.set("start", Timestamp(nanoseconds: series.timestamps[0]).compactDescription)
            json.set("end", Timestamp(nanoseconds: series.timestamps[series.count - 1]).compactDescription)
            json.set("periods", stats.periods)
            json.set("periods_per_year", perYear)
            json.set("total_return", stats.totalReturn)
            json.set("annual_return", stats.annualReturn)
            json.set("annual_volatility", stats.annualVolatility)
            json.set("sharpe", stats.sharpe)
            json.set("sortino", stats.sortino)
            json.set("max_drawdown", stats.maxDrawdown)
            json.set("max_drawdown_periods", stats.maxDrawdownPeriods)
            json.set("calmar", stats.calmar)
            json.set("var_95", stats.valueAtRisk95)
            json.set("cvar_95", stats.conditionalValueAtRisk95)
            if sources.count == 1 { combined = json } else { combined.set(series.instrument.symbol, json) }

            var table = Table()
            table.add("symbol", series.instrument.symbol)
            table.add("returns", "\(stats.periods) (\(Timestamp(nanoseconds: series.timestamps[0]).compactDescription) to \(Timestamp(nanoseconds: series.timestamps[series.count - 1]).compactDescription))")
            table.add("total return", Table.percent(stats.totalReturn))
            table.add("annual return", Table.percent(stats.annualReturn))
            table.add("annual volatility", Table.percent(stats.annualVolatility))
            table.add("sharpe", Table.number(stats.sharpe))
            table.add("sortino", Table.number(stats.sortino))
            table.add("max drawdown", Table.percent(stats.maxDrawdown))
            table.add("calmar", Table.number(stats.calmar))
            table.add("VaR 95%", Table.percent(stats.valueAtRisk95))
            table.add("CVaR 95%", Table.percent(stats.conditionalValueAtRisk95))
            print(table.render())
            print("")
        }
        if let out {
            do { try TextFileWriter.write(combined.render() + "\n", to: out) } catch { throw CLIFailure(error.description) }
            print("wrote \(out)")
        }
    }
}
