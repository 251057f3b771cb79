import ArgumentParser
import PeregrineCore
import PeregrineData
import PeregrineIndicators

struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Compute technical indicators over a bar file and write them as CSV columns.",
        discussion: """
            Columns are named output then parameters (sma_20, bb_upper_20_2, macd_signal_12_26_9) and are empty \
            during warm-up. Warm-up and values follow TA-Lib (SMA-seeded EMA, Wilder RSI/ATR/ADX, population \
            standard deviation). Indicators: sma, ema, wma, dema, tema (period), rsi (14), bbands (20,2), \
            macd (12,26,9), atr (14), adx (14: adx, plus_di, minus_di), stoch (14,3,3: stoch_k, stoch_d), \
            roc (10), mom (10), stddev (20), zscore (20), obv, vwap (session-anchored), donchian (20), \
            keltner (20,2: EMA +- width * ATR).

            Examples:
              peregrine indicators --data prices.csv --indicator sma:20 --indicator rsi:14 --out ind.csv
              peregrine indicators --data prices.csv --indicator bbands:20,2 --indicator macd:12,26,9 --indicator atr:14 --out ind.csv
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .customLong("indicator"), help: ArgumentHelp("Indicator and parameters, repeatable: sma:20, bbands:20,2.",
                                                             valueName: "name[:params]"))
    var indicators: [String] = []

    @Option(help: ArgumentHelp("Zone whose days anchor the VWAP sessions (default UTC).", valueName: "zone"))
    var sessionZone: String = "UTC"

    @Option(help: ArgumentHelp("Output CSV file.", valueName: "file"))
    var out: String

    func run() throws {
        guard !indicators.isEmpty else { throw ValidationError("give at least one --indicator, e.g. --indicator sma:20") }
        var specifications: [IndicatorSpecification] = []
        for text in indicators {
            do { specifications.append(try IndicatorSpecification(text)) } catch { throw ValidationError(error.description) }
        }
        guard let zone = ZoneRule(name: sessionZone) else {
            throw ValidationError("--session-zone '\(sessionZone)': use UTC, America/New_York, Europe/Berlin or +HH:MM")
        }
        let sources = try dataOptions.load()
        guard sources.count == 1 else { throw ValidationError("indicators takes one data file, got \(sources.count)") }
        let series = sources[0].series
        var names: [String] = []
        var columns: [[Double?]] = []
        for specification in specifications {
            names += specification.columnNames
            columns += specification.compute(series, sessionZone: zone)
        }
        guard Set(names).count == names.count else { throw ValidationError("an indicator is listed twice") }
        do {
            try Self.write(series: series, names: names, columns: columns, to: out)
        } catch {
            throw CLIFailure(error.description)
        }
        print("wrote \(series.count) rows, \(names.count) columns (\(names.joined(separator: ", "))) to \(out)")
    }

    /// Writes `timestamp` and the columns, empty where a value is undefined.
    static func write(series: BarSeries, names: [String], columns: [[Double?]], to path: String) throws(DataError) {
        let writer = try TextFileWriter(path: path)
        try writer.writeLine((["timestamp"] + names).joined(separator: ","))
        for index in 0..<series.count {
            var fields = [Timestamp(nanoseconds: series.timestamps[index]).compactDescription]
            for column in columns { fields.append(column[index].map { "\($0)" } ?? "") }
            try writer.writeLine(fields.joined(separator: ","))
        }
        try writer.close()
    }
}
