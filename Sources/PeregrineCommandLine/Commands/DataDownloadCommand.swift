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
            Follows every page (next_page_token) and writes one CSV per symbol, named after it. Keys come \
            from APCA_API_KEY_ID and APCA_API_SECRET_KEY, or --keys FILE (mode 0600).

            Examples:
              peregrine data download --symbols AAPL,MSFT --timeframe 1Min --start 2024-01-02 --end 2024-01-31 --out data/
              peregrine data download --symbols BTC/USD --timeframe 1Hour --start 2024-01-01 --out data/
              peregrine data download --symbols SYN --timeframe 1Min --start 2020-01-01 --base-url http://127.0.0.1:8123 --out data/
            """
    )

    @Option(help: ArgumentHelp("Comma-separated symbols.", valueName: "list"))
    var symbols: String

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

    @Option(help: ArgumentHelp("Market-data base URL (default Alpaca's; a local exchange's for offline use).", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("Key file with APCA_API_KEY_ID= and APCA_API_SECRET_KEY= lines, mode 0600.", valueName: "file"))
    var keys: String?

    func run() async throws {
        func instant(_ text: String, _ option: String) throws -> Timestamp {
            guard case .success(let parsed) = TimestampParser().parse(Array(text.utf8)) else {
                throw ValidationError("\(option) '\(text)': expected e.g. 2024-01-02 or 2024-01-02T14:30:00Z")
            }
            return parsed.timestamp
        }
        let first = try instant(start, "--start")
        let last = try end.map { try instant($0, "--end") }
        let list = symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw ValidationError("--symbols: give at least one symbol") }
        let credentials: AlpacaCredentials
        do {
            if let keys { credentials = try AlpacaCredentials.fromFile(keys) } else { credentials = try AlpacaCredentials.fromEnvironment() }
        } catch {
            throw CLIFailure(error.description)
        }
        let environment = baseURL.map { AlpacaEnvironment.local($0) } ?? .paper
        let client = AlpacaTradingClient(environment: environment, credentials: credentials, transport: AsyncHTTPTransport())
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for symbol in list {
            let bars: [Bar]
            do {
                bars = try await client.bars(symbol: symbol, timeframe: timeframe, start: first, end: last, feed: feed,
                                             adjustment: adjustment)
            } catch {
                throw CLIFailure("\(symbol): \(error)")
            }
            let assetClass: AssetClass = symbol.contains("/") ? .crypto : .usEquity
            let series = BarSeries(instrument: Instrument(symbol: symbol, assetClass: assetClass), bars: bars)
            let path = out + "/" + symbol.replacingOccurrences(of: "/", with: "") + ".csv"
            do { try BarCSVWriter.write(series, to: path) } catch { throw CLIFailure(error.description) }
            print("\(symbol): \(bars.count) bars -> \(path)")
        }
    }
}
