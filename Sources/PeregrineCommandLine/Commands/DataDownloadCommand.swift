import ArgumentParser
import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData

struct DataDownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download historical bars from Alpaca's market-data API (or a local exchange) into CSV files.",
        discussion: """
            Follows every page (next_page_token) and writes one CSV per symbol, named after it. Stocks come \
            from /v2/stocks/bars, crypto pairs (BTC/USD, or BTCUSD with --asset-class crypto) from \
            /v1beta3/crypto/us/bars with their fractional volumes; a pair's file is named without the slash \
            (BTCUSD.csv), which `--data FOLDER --asset-class crypto` reads back as BTC/USD. Keys come from \
            APCA_API_KEY_ID and APCA_API_SECRET_KEY, or --keys FILE (mode 0600).

            Examples:
              peregrine data download --symbols AAPL,MSFT --timeframe 1Min --start 2024-01-02 --end 2024-01-31 --out data/
              peregrine data download --symbols BTC/USD,ETH/USD --asset-class crypto --timeframe 1Min --start 2024-06-07 --out crypto/
              peregrine data download --symbols SYN --timeframe 1Min --start 2020-01-01 --base-url http://127.0.0.1:8123 --out data/
            """
    )

    @Option(help: ArgumentHelp("Comma-separated symbols (crypto pairs as BTC/USD).", valueName: "list"))
    var symbols: String

    @Option(help: ArgumentHelp("us_equity or crypto (default: crypto for a symbol with a slash, stocks otherwise).", valueName: "class"))
    var assetClass: String?

    @Option(help: ArgumentHelp("Bar size: 1Min, 5Min, 15Min, 1Hour, 1Day, ...", valueName: "timeframe"))
    var timeframe: String = "1Day"

    @Option(help: ArgumentHelp("First instant (RFC 3339, or a date meaning midnight UTC).", valueName: "time"))
    var start: String

    @Option(help: ArgumentHelp("Last instant, inclusive (default: now).", valueName: "time"))
    var end: String?

    @Option(help: ArgumentHelp("Folder for the CSV files.", valueName: "dir"))
    var out: String

    @Option(help: ArgumentHelp("Stock feed: iex or sip.", valueName: "feed"))
    var feed: String?

    @Option(help: ArgumentHelp("Corporate actions: raw, split, dividend or all.", valueName: "adjustment"))
    var adjustment: String?

    @OptionGroup var access: MarketDataAccessOptions

    /// Each symbol as the market-data API names it, with its asset class.
    func instruments() throws -> [(symbol: String, assetClass: AssetClass)] {
        var forced: AssetClass?
        if let assetClass {
            guard let value = AssetClass(rawValue: assetClass), value == .usEquity || value == .crypto else {
                throw ValidationError("--asset-class '\(assetClass)': use us_equity or crypto")
            }
            forced = value
        }
        return try MarketDataAccessOptions.symbolList(symbols).map { symbol in
            switch forced ?? (AlpacaTradingClient.isCrypto(symbol) ? .crypto : .usEquity) {
            case .crypto:
                guard let pair = CryptoFileName.symbol(forStem: symbol) else {
                    throw ValidationError("--symbols \(symbol): a crypto pair is BASE/QUOTE (BTC/USD) or BASEQUOTE with a quote currency of "
                        + CryptoFileName.quoteCurrencies.joined(separator: ", "))
                }
                return (pair, .crypto)
            default:
                guard !AlpacaTradingClient.isCrypto(symbol) else {
                    throw ValidationError("--symbols \(symbol): a symbol with a slash is a crypto pair; drop --asset-class us_equity")
                }
                return (symbol.uppercased(), .usEquity)
            }
        }
    }

    func run() async throws {
        func instant(_ text: String, _ option: String) throws -> Timestamp {
            guard case .success(let parsed) = TimestampParser().parse(Array(text.utf8)) else {
                throw ValidationError("\(option) '\(text)': expected e.g. 2024-01-02 or 2024-01-02T14:30:00Z")
            }
            return parsed.timestamp
        }
        let first = try instant(start, "--start")
        let last = try end.map { try instant($0, "--end") }
        let list = try instruments()
        let client = try access.client()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (symbol, assetClass) in list {
            let bars: [Bar]
            do {
                bars = try await client.bars(symbol: symbol, timeframe: timeframe, start: first, end: last,
                                             feed: assetClass == .crypto ? nil : feed, adjustment: assetClass == .crypto ? nil : adjustment)
            } catch {
                throw CLIFailure("\(symbol): \(error)")
            }
            let instrument = assetClass == .crypto ? Instrument.crypto(symbol) : Instrument(symbol: symbol)
            let series = BarSeries(instrument: instrument, bars: bars)
            let path = out + "/" + CryptoFileName.stem(for: symbol) + ".csv"
            do { try BarCSVWriter.write(series, to: path) } catch { throw CLIFailure(error.description) }
            print("\(symbol): \(bars.count) bars -> \(path)")
        }
    }
}
