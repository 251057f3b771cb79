import ArgumentParser
import PeregrineCore
import PeregrineData

struct DataValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check CSV bar files and list every bad row with its line and field.",
        discussion: """
            Checks numbers, NaN and non-positive prices, high/low against open/close, negative volume, \
            duplicate and out-of-order timestamps. Exits with status 1 if any row is bad.

            Examples:
              peregrine data validate ../shared/data/orcl_daily.csv
              peregrine data validate --timezone Europe/Berlin ../shared/data/fesx_1min_2006.csv
            """
    )

    @Argument(help: ArgumentHelp("CSV files or folders to check.", valueName: "path"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("Zone of times written without a UTC offset.", valueName: "zone"))
    var timezone: String?

    func run() throws {
        var zone: TimeZoneSpec?
        if let timezone {
            guard let spec = TimeZoneSpec(name: timezone) else {
                throw ValidationError("--timezone '\(timezone)' is not a known zone; use e.g. UTC, America/New_York or +01:00")
            }
            zone = spec
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
                bad += source.skipped.count
            }
        }
        if bad > 0 { throw ExitCode(1) }
    }
}
