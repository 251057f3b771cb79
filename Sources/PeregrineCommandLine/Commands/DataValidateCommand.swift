import ArgumentParser
import PeregrineCore
import PeregrineData

struct DataValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check CSV bar files and list every bad row with its line and field.",
        discussion: """
            Checks numbers, NaN and non-positive prices, high/low against open/close, negative volume, \
            duplicate and out-of-order timestamps, and dates outside 1678 to 2261. Exits with status 1 if \
            any row is bad.

            Then lists anomalies to look at before trusting a backtest on the file, which do not fail it: \
            likely splits (the previous close over the open within 3% of a split ratio such as 2:1, 4:1 \
            or 7:1, or a reverse split), calendar gaps (two or more weekdays without a daily bar, any \
            missing day around the clock, three or more missing intervals inside one intraday session), \
            stale bars (three or more in a row with the same open, high, low and close) and outlier \
            returns (more than 8 robust deviations from the median close-to-close return). --calendar \
            names the sessions to expect (default: US equities; 24x7 for crypto). With --corporate-actions \
            FILE, the splits the file names are known and not listed; only those it was not told about are.

            Examples:
              peregrine data validate ../shared/data/orcl_daily.csv
              peregrine data validate ../shared/data/aapl_daily_unadjusted.csv
              peregrine data validate ../shared/data/aapl_daily_unadjusted.csv --corporate-actions ../shared/data/aapl_lean_factor_file.csv
              peregrine data validate --calendar 24x7 ../shared/data/btcusd_daily.csv
              peregrine data validate --timezone Europe/Berlin ../shared/data/fesx_1min_2006.csv
            """
    )

    @Argument(help: ArgumentHelp("CSV files or folders to check.", valueName: "path"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("Zone of times written without a UTC offset.", valueName: "zone"))
    var timezone: String?

    @Option(help: ArgumentHelp("Splits and dividends the file is known to have (a factor file or events, as for backtest): "
        + "its splits are not listed as likely splits.", valueName: "file"))
    var corporateActions: String?

    @Option(name: .customLong("calendar"), help: ArgumentHelp(
        "Sessions to expect when looking for gaps: us-equity, 24x7 or HH:MM-HH:MM@ZONE.", valueName: "calendar"))
    var calendarText: String?

    func run() throws {
        var zone: TimeZoneSpec?
        if let timezone {
            guard let spec = TimeZoneSpec(name: timezone) else {
                throw ValidationError("--timezone '\(timezone)' is not a known zone; use e.g. UTC, America/New_York or +01:00")
            }
            zone = spec
        }
        var calendar: TradingCalendar?
        if let calendarText {
            guard let parsed = TradingCalendar(specification: calendarText) else {
                throw ValidationError("--calendar '\(calendarText)' is not a calendar; use us-equity, 24x7 or HH:MM-HH:MM@ZONE")
            }
            calendar = parsed
        }
        let loader = MarketDataLoader(reader: BarCSVReader(zone: zone, policy: .skip))
        var bad = 0
        for path in paths {
            let sources: [MarketDataLoader.Source]
            do { sources = try loader.load([path]) } catch {
                print("FAIL \(error.description)")
                bad += 1
                continue
            }
            for source in sources {
                let s = source.series
                let range = s.isEmpty ? "no valid rows"
                    : "\(Timestamp(nanoseconds: s.timestamps[0]).compactDescription) to \(Timestamp(nanoseconds: s.timestamps[s.count - 1]).compactDescription)"
                let status = source.skipped.isEmpty ? "OK  " : "FAIL"
                print("\(status) \(source.name): \(source.rows) rows, \(s.count) valid, \(range), format \(source.format)")
                for warning in source.warnings { print("     warning: \(warning)") }
                for problem in source.skipped { print("     \(problem)") }
                let calendar = calendar ?? s.instrument.assetClass.defaultCalendar
                var known: Set<Int64> = []
                if let corporateActions {
                    do {
                        for action in try CorporateActionFile.read(path: corporateActions, symbol: s.instrument.symbol) {
                            if case .split = action.kind { known.insert(action.date.daysSinceEpoch) }
                        }
                    } catch { throw CLIFailure(error.description) }
                }
                for anomaly in SeriesAnomaly.find(in: s, calendar: calendar) {
                    // A split the corporate actions name (on the bar's date, or the weekday it fell to) is known, not an anomaly.
                    if case .likelySplit = anomaly.kind, known.contains(where: { abs($0 - anomaly.timestamp.nanoseconds.floorDivided(by: Timestamp.nanosPerDay)) <= 3 }) {
                        continue
                    }
                    print("     anomaly: \(anomaly)")
                }
                bad += source.skipped.count
            }
        }
        if bad > 0 { throw ExitCode(1) }
    }
}
