import ArgumentParser
import Foundation
import PeregrineAlpaca
import PeregrineCore

struct DataLatestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latest",
        abstract: "Print the latest quote and trade of stocks and crypto pairs from Alpaca's market-data API (or a local exchange).",
        discussion: """
            One request per asset class for each: stocks from /v2/stocks/quotes/latest and \
            /v2/stocks/trades/latest, crypto pairs (BTC/USD) from /v1beta3/crypto/us/latest/quotes and \
            .../trades. Prints one CSV line per symbol: \
            symbol,quote_time,bid_size,bid,ask,ask_size,trade_time,price,size, exact as the API sent them \
            (an empty field where it has none). A local exchange (--base-url) derives them from the bars \
            it has replayed (see `peregrine exchange --help`). Keys as for `data download`.

            Examples:
              peregrine data latest --symbols AAPL,MSFT,BTC/USD
              peregrine data latest --symbols SYN --base-url http://127.0.0.1:8123
            """
    )

    @Option(help: ArgumentHelp("Comma-separated symbols (crypto pairs as BTC/USD).", valueName: "list"))
    var symbols: String

    @Option(help: ArgumentHelp("Stock feed: iex or sip (default: the account's).", valueName: "feed"))
    var feed: String?

    @OptionGroup var access: MarketDataAccessOptions

    func run() async throws {
        let list = try MarketDataAccessOptions.symbolList(symbols)
        let client = try access.client()
        let quotes: [String: Quote], trades: [String: Trade]
        do {
            quotes = try await client.latestQuotes(symbols: list, feed: feed)
            trades = try await client.latestTrades(symbols: list, feed: feed)
        } catch {
            throw CLIFailure("latest quotes and trades: \(error)")
        }
        print("symbol,quote_time,bid_size,bid,ask,ask_size,trade_time,price,size")
        for symbol in list {
            let quote = quotes[symbol], trade = trades[symbol]
            let fields = [symbol, quote?.timestamp.iso8601, quote?.bidSize.description, quote?.bidPrice.description,
                          quote?.askPrice.description, quote?.askSize.description, trade?.timestamp.iso8601,
                          trade?.price.description, trade?.size.description]
            print(fields.map { $0 ?? "" }.joined(separator: ","))
        }
    }
}
