import ArgumentParser
import Foundation
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

    @Option(name: .long, help: ArgumentHelp("Asset class of file data: us_equity, crypto (a pair's file BTCUSD.csv is BTC/USD), forex, future.", valueName: "class"))
    var assetClass: String = "us_equity"

    @Option(name: .long, help: ArgumentHelp("Symbol for a single data file (default: the file name, upper-cased).", valueName: "symbol"))
    var symbol: String?

    @Option(name: .long, help: ArgumentHelp(
        "Symbols to take from a --data folder: a file with one symbol per line (# comments allowed) or a comma-separated list.",
        valueName: "file|list"))
    var symbols: String?

    @Option(name: .long, help: ArgumentHelp(
        "Splits and dividends of the data: a factor file (date,price_factor,split_factor,reference_price) or events "
            + "(date,type,value, or symbol,date,type,value for several symbols).", valueName: "file"))
    var corporateActions: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --corporate-actions: raw (bars as traded; on a split the position scales, on an ex-date the dividend is paid "
            + "in cash, as a broker does), adjusted (bars adjusted backward for splits and dividends) or splits (for splits only).",
        valueName: "raw|adjusted|splits"))
    var adjustment: String = "raw"

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
        var loader = MarketDataLoader(reader: BarCSVReader(zone: zone, policy: policy), assetClass: assetClass, symbol: symbol)
        loader.symbols = try symbolList()
        return loader
    }

    /// `--symbols`: a file of symbols (one per line, `#` comments) or a comma-separated list.
    func symbolList() throws -> [String]? {
        guard let symbols else { return nil }
        var text = symbols
        if FileManager.default.fileExists(atPath: symbols) {
            guard let data = FileManager.default.contents(atPath: symbols) else { throw ValidationError("--symbols: cannot read \(symbols)") }
            text = String(decoding: data, as: UTF8.self)
        }
        let list = text.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == "\r" })
            .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "" }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw ValidationError("--symbols '\(symbols)' names no symbol") }
        return list
    }

    /// Loads every source, printing skipped rows and warnings to standard error. With
    /// `--adjustment adjusted` or `splits`, the bars come back adjusted for the corporate actions.
    func load(default fallback: String? = nil) throws -> [MarketDataLoader.Source] {
        var sources = try loadAsWritten(default: fallback)
        if let mode = try adjustmentMode(), corporateActions != nil {
            for index in sources.indices {
                let actions = try actions(for: sources[index].series.instrument.symbol, sourceCount: sources.count)
                sources[index].series = CorporateActionAdjuster.adjust(sources[index].series, actions: actions, mode: mode)
            }
        }
        return sources
    }

    /// nil for raw bars; the adjuster's mode otherwise.
    func adjustmentMode() throws -> CorporateActionAdjuster.Mode? {
        if adjustment == "raw" { return nil }
        guard let mode = CorporateActionAdjuster.Mode(rawValue: adjustment) else {
            throw ValidationError("--adjustment '\(adjustment)': use raw, adjusted or splits")
        }
        if corporateActions == nil { throw ValidationError("--adjustment \(adjustment) needs --corporate-actions FILE") }
        return mode
    }

    /// The splits and dividends the books apply while trading raw bars (`--adjustment raw` with
    /// `--corporate-actions`); none otherwise.
    func corporateActionsForBooks(symbols: [String]) throws -> [CorporateAction] {
        guard try adjustmentMode() == nil else { return [] }
        return try corporateActions(symbols: symbols)
    }

    /// Every split and dividend `--corporate-actions` gives for `symbols`, whatever `--adjustment` is
    /// (none without the option).
    func corporateActions(symbols: [String]) throws -> [CorporateAction] {
        guard corporateActions != nil else { return [] }
        return try symbols.flatMap { try actions(for: $0, sourceCount: symbols.count) }
    }

    private func actions(for symbol: String, sourceCount: Int) throws -> [CorporateAction] {
        guard let path = corporateActions else { return [] }
        do {
            let actions = try CorporateActionFile.read(path: path, symbol: symbol)
            if sourceCount > 1, !(try CorporateActionFile.namesSymbols(path: path)) {
                throw CLIFailure("\(path) names no symbols but \(sourceCount) data sources are loaded; "
                    + "use an events file with a symbol column (symbol,date,type,value)")
            }
            return actions
        } catch let error as DataError {
            throw CLIFailure(error.description)
        }
    }

    private func loadAsWritten(default fallback: String?) throws -> [MarketDataLoader.Source] {
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
