import ArgumentParser
import PeregrineCore
import PeregrineData

/// How to read market data; shared by every command that loads bars.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A CSV file, a folder of CSV files, or synthetic[:key=value,...] (repeat for a portfolio).",
        valueName: "path|synthetic"))
    var data: [String] = []

    @Option(name: .long, help: ArgumentHelp("Zone of times written without a UTC offset, e.g. America/New_York.", valueName: "zone"))
    var timezone: String?

    @Option(name: .long, help: ArgumentHelp("What to do with an invalid row: fail (stop) or skip (drop and report).", valueName: "fail|skip"))
    var badRows: String = "fail"

    @Option(name: .long, help: ArgumentHelp("Asset class of file data: us_equity, crypto, forex, future.", valueName: "class"))
    var assetClass: String = "us_equity"

    @Option(name: .long, help: ArgumentHelp("Symbol for a single data file (default: the file name, upper-cased).", valueName: "symbol"))
    var symbol: String?

    func loader() throws -> MarketDataLoader {
        var zone: TimeZoneSpec?
        if let timezone {
            guard let spec = TimeZoneSpec(name: timezone) else {
                throw ValidationError("--timezone '\(timezone)' is not a known zone; use e.g. UTC, America/New_York, Europe/Berlin or +01:00")
            }
            zone = spec
        }
        guard let policy = BadRowPolicy(rawValue: badRows) else {
            throw ValidationError("--bad-rows '\(badRows)': use fail or skip")
        }
        guard let assetClass = AssetClass(rawValue: assetClass) else {
            throw ValidationError("--asset-class '\(assetClass)': use one of \(AssetClass.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return MarketDataLoader(reader: BarCSVReader(zone: zone, policy: policy), assetClass: assetClass, symbol: symbol)
    }

    /// Loads every source, printing skipped rows and warnings to standard error.
    func load(default fallback: String? = nil) throws -> [MarketDataLoader.Source] {
        let arguments = data.isEmpty ? fallback.map { [$0] } ?? [] : data
        guard !arguments.isEmpty else { throw ValidationError("give --data PATH (or --data synthetic)") }
        let sources: [MarketDataLoader.Source]
        do {
            sources = try loader().load(arguments)
        } catch let error as MarketDataLoader.LoadError {
            throw CLIFailure(error.description)
        }
        for source in sources {
            for warning in source.warnings { Console.error("warning: \(warning)") }
            for problem in source.skipped { Console.error("skipped: \(problem)") }
            if !source.skipped.isEmpty {
                Console.error("\(source.name): skipped \(source.skipped.count) of \(source.rows) rows")
            }
        }
        return sources
    }
}
