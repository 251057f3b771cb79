import ArgumentParser
import Foundation
import PeregrineAlpaca
import PeregrineCore

struct DataStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Print live bars, quotes and trades from Alpaca's market-data streams (or a local exchange's).",
        discussion: """
            Subscribes to the channels asked for (--channels quotes,trades,bars) of the symbols, on the stock \
            stream (wss://stream.data.alpaca.markets/v2/FEED) for stocks and the crypto stream \
            (.../v1beta3/crypto/us) for pairs such as BTC/USD, one connection each, reconnecting with backoff. \
            Prints one CSV line per message, exact as the stream sent it, times to the nanosecond, \
            conditions joined by spaces:

              quote,SYMBOL,time,bid_size,bid,ask,ask_size,bid_exch,ask_exch,conditions
              trade,SYMBOL,time,price,size,exchange,id,conditions
              bar,SYMBOL,time,open,high,low,close,volume

            Stops after --count messages, or on Ctrl-C. Keys as for `data download`; the local exchange \
            (--base-url) serves the same streams from its replay.

            Examples:
              peregrine data stream --symbols AAPL,MSFT --feed iex
              peregrine data stream --symbols BTC/USD --channels quotes,bars --count 100
              peregrine data stream --symbols SYN --base-url http://127.0.0.1:8123
            """
    )

    @Option(help: ArgumentHelp("Comma-separated symbols (crypto pairs as BTC/USD).", valueName: "list"))
    var symbols: String

    @Option(help: ArgumentHelp("Comma-separated channels: quotes, trades, bars.", valueName: "list"))
    var channels: String = "quotes,trades"

    @Option(help: ArgumentHelp("Stock feed: iex, sip or test.", valueName: "feed"))
    var feed: String = "iex"

    @Option(help: ArgumentHelp("Stop after this many bars, quotes and trades (default: run until stopped).", valueName: "n"))
    var count: Int?

    @OptionGroup var access: MarketDataAccessOptions

    func run() async throws {
        let list = try MarketDataAccessOptions.symbolList(symbols)
        let wanted = Set(channels.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let known: Set<String> = ["quotes", "trades", "bars"]
        guard !wanted.isEmpty, wanted.isSubset(of: known) else {
            throw ValidationError("--channels '\(channels)': use quotes, trades and bars, comma-separated")
        }
        guard ["iex", "sip", "test"].contains(feed) else { throw ValidationError("--feed '\(feed)': use iex, sip or test") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        let credentials = try access.credentials()
        let crypto = list.filter(AlpacaTradingClient.isCrypto), stocks = list.filter { !AlpacaTradingClient.isCrypto($0) }
        let groups = [(AlpacaMarketDataStream.Endpoint.stocks(feed: feed), stocks), (.crypto, crypto)].filter { !$0.1.isEmpty }
        let printer = StreamPrinter(limit: count)
        let tasks = groups.map { endpoint, names in
            let stream = AlpacaMarketDataStream(environment: access.environment, endpoint: endpoint,
                                                bars: wanted.contains("bars") ? names : [],
                                                quotes: wanted.contains("quotes") ? names : [],
                                                trades: wanted.contains("trades") ? names : [], credentials: credentials)
            return Task {
                do { try await stream.run { await printer.print($0, endpoint: endpoint) } } catch {
                    await printer.fail("\(endpoint): \(error)")
                }
            }
        }
        // Until --count lines are printed, a stream is refused, or Ctrl-C ends the process.
        let failure = await printer.waitUntilDone()
        for task in tasks { task.cancel() }
        if let failure { throw CLIFailure(failure) }
    }
}

/// Prints stream events as CSV lines and says when `--count` of them have been printed.
private actor StreamPrinter {
    let limit: Int?
    private var printed = 0

    init(limit: Int?) { self.limit = limit }

    func print(_ event: AlpacaMarketDataStream.Event, endpoint: AlpacaMarketDataStream.Endpoint) {
        if let limit, printed >= limit { return }
        let line: String
        switch event {
        case .quote(let symbol, let q):
            line = ["quote", symbol, q.timestamp.iso8601, q.bidSize.description, q.bidPrice.description, q.askPrice.description,
                    q.askSize.description, q.bidExchange ?? "", q.askExchange ?? "", q.conditions.joined(separator: " ")].joined(separator: ",")
        case .trade(let symbol, let t):
            line = ["trade", symbol, t.timestamp.iso8601, t.price.description, t.size.description, t.exchange ?? "",
                    t.id.map(String.init) ?? "", t.conditions.joined(separator: " ")].joined(separator: ",")
        case .bar(let symbol, let b):
            line = ["bar", symbol, b.timestamp.iso8601, b.open.description, b.high.description, b.low.description,
                    b.close.description, b.volume.description].joined(separator: ",")
        case .subscribed(let bars, let quotes, let trades):
            Console.error("\(endpoint): subscribed to bars \(bars), quotes \(quotes), trades \(trades)")
            return
        case .malformed(let error):
            Console.error("\(endpoint): skipped a message: \(error)")
            return
        case .disconnected(let reason, let wait):
            Console.error("\(endpoint): disconnected (\(reason)); reconnecting in \(String(format: "%.1f", wait)) s")
            return
        }
        // Straight to the descriptor: a reader at the other end of a pipe sees each line at once.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
        printed += 1
    }

    private var failure: String?

    func fail(_ reason: String) { failure = failure ?? reason }

    /// Returns once `--count` events are printed (nil) or a stream failed (its reason).
    func waitUntilDone() async -> String? {
        while failure == nil, !(limit.map { printed >= $0 } ?? false) { try? await Task.sleep(nanoseconds: 20_000_000) }
        return failure
    }
}
