import Foundation
import PeregrineCore

/// Turns `--data` arguments into bar series: a CSV file, a folder of CSV files (one instrument
/// each, in name order), or `synthetic[:options]`. The symbol is the file name without its
/// extension, upper-cased (`orcl_daily.csv` is ORCL_DAILY), unless one is given; for crypto a
/// pair's file (`BTCUSD.csv`, `BTC-USD.csv`) is the pair `BTC/USD` (see `CryptoFileName`).
public struct MarketDataLoader: Sendable {
    public var reader: BarCSVReader
    public var assetClass: AssetClass
    /// Symbol for a single file; ignored for folders and several files.
    public var symbol: String?
    /// The symbols to load from folders (nil: every file); each must have a file, and files of
    /// other symbols are not read.
    public var symbols: [String]?

    public init(reader: BarCSVReader = BarCSVReader(), assetClass: AssetClass = .usEquity, symbol: String? = nil) {
        self.reader = reader
        self.assetClass = assetClass
        self.symbol = symbol
    }

    /// One loaded source with what the reader reported.
    public struct Source: Sendable {
        public var name: String
        public var series: BarSeries
        public var rows: Int
        public var skipped: [DataError]
        public var warnings: [String]
        public var format: String
    }

    public enum LoadError: Error, CustomStringConvertible {
        case data(DataError)
        case synthetic(SyntheticMarketError)
        case notFound(String)
        case emptyFolder(String)
        case duplicateSymbol(String)
        case missingSymbols([String])

        public var description: String {
            switch self {
            case .data(let error): return error.description
            case .synthetic(let error): return error.description
            case .notFound(let path): return "\(path): no such file or folder (give a CSV file, a folder of CSV files, or synthetic[:options])"
            case .emptyFolder(let path): return "\(path): folder holds no .csv files"
            case .duplicateSymbol(let symbol): return "symbol \(symbol) appears in two data sources; each instrument may come from one source only"
            case .missingSymbols(let symbols):
                return "no data file for \(symbols.joined(separator: ", ")) (a folder's file is SYMBOL.csv, any case; "
                    + "a crypto pair's is BASEQUOTE.csv, e.g. BTCUSD.csv for BTC/USD)"
            }
        }
    }

    public func load(_ arguments: [String]) throws(LoadError) -> [Source] {
        var sources: [Source] = []
        let single = arguments.count == 1
        for argument in arguments {
            if argument == "synthetic" || argument.hasPrefix("synthetic:") {
                let spec = argument == "synthetic" ? "" : String(argument.dropFirst("synthetic:".count))
                let options: SyntheticMarket.Options
                do { options = try SyntheticMarket.Options(specification: spec) } catch { throw .synthetic(error) }
                let series = SyntheticMarket(options: options).generate()
                sources.append(Source(name: argument, series: series, rows: series.count, skipped: [], warnings: [],
                                      format: "synthetic"))
                continue
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                throw .notFound(argument)
            }
            if isFolder.boolValue {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? [])
                    .filter { $0.lowercased().hasSuffix(".csv") }.sorted()
                guard !names.isEmpty else { throw .emptyFolder(argument) }
                let wanted = symbols.map { Set($0.map(symbol(forStem:))) }
                for name in names where wanted?.contains(symbol(forStem: (name as NSString).deletingPathExtension)) ?? true {
                    sources.append(try loadFile((argument as NSString).appendingPathComponent(name), symbol: nil))
                }
            } else {
                sources.append(try loadFile(argument, symbol: single ? symbol : nil))
            }
        }
        var seen: Set<String> = []
        for source in sources {
            guard seen.insert(source.series.instrument.symbol).inserted else {
                throw .duplicateSymbol(source.series.instrument.symbol)
            }
        }
        if let symbols {
            let missing = symbols.filter { !seen.contains(symbol(forStem: $0)) }
            guard missing.isEmpty else { throw .missingSymbols(missing) }
            let order = Dictionary(symbols.enumerated().map { (symbol(forStem: $1), $0) }, uniquingKeysWith: { a, _ in a })
            sources = sources.filter { order[$0.series.instrument.symbol] != nil }
        }
        return sources
    }

    /// The symbol a data file's name stands for: the stem upper-cased, or for crypto the pair it names.
    func symbol(forStem stem: String) -> String {
        assetClass == .crypto ? CryptoFileName.symbol(forStem: stem) ?? stem.uppercased() : stem.uppercased()
    }

    private func loadFile(_ path: String, symbol: String?) throws(LoadError) -> Source {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let instrument: Instrument
        let name = symbol ?? self.symbol(forStem: stem)
        var notes: [String] = []
        switch assetClass {
        case .crypto:
            instrument = .crypto(name)
            if !name.contains("/") {
                notes.append("\(path): the name names no pair (BASEQUOTE.csv such as BTCUSD.csv, quote one of "
                    + "\(CryptoFileName.quoteCurrencies.joined(separator: ", "))); the symbol is \(name) (--symbol BASE/QUOTE sets it)")
            }
        default: instrument = Instrument(symbol: name, assetClass: assetClass)
        }
        do {
            let loaded = try reader.read(path: path, instrument: instrument)
            return Source(name: path, series: loaded.series, rows: loaded.rows, skipped: loaded.skipped,
                          warnings: notes + loaded.warnings, format: loaded.format)
        } catch {
            throw .data(error)
        }
    }
}
