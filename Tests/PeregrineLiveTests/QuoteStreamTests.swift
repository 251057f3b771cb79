import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineExchange
import PeregrineTestSupport
import Testing

/// Quotes and trades over a real WebSocket from the exchange's server to our stream client, on the
/// stock stream and the crypto stream at once: as the exchange steps through its bars, each
/// subscribed symbol's trade and quote arrive in replay order with the exact values the exchange
/// documents (worked out here independently from the bars), and nothing of unsubscribed symbols.
@Suite struct QuoteStreamTests {
    let keys = AlpacaCredentials(keyID: "PKQUOTE", secret: "quote-secret")

    @Test func subscribedQuotesAndTradesArriveAsDocumentedInOrder() async throws {
        let a = SyntheticMarket.series(bars: 120, seed: 3, symbol: "AAA")
        let b = SyntheticMarket.series(bars: 120, seed: 4, symbol: "BBB")
        // A pair on the same timestamps, with fractional volumes (a thousandth of the shares).
        var pair = BarSeries(instrument: .crypto("BTC/USD"))
        for bar in SyntheticMarket.series(bars: 120, seed: 5, symbol: "BTC").bars {
            pair.append(Bar(timestamp: bar.timestamp, open: bar.open, high: bar.high, low: bar.low, close: bar.close,
                            volume: Quantity(units: bar.volume.units / 1_000)))
        }
        #expect(pair.timestamps == a.timestamps && b.timestamps == a.timestamps)
        let exchange = LocalExchange(series: [a, b, pair], cash: Money(100_000), credentials: keys)
        await exchange.advance(timeSteps: 30)
        let (server, base, stop) = try await ExchangeServerHarness.serve(exchange)
        let stocks = MarketDataLog(), crypto = MarketDataLog()
        let retry = RetryPolicy(maxAttempts: .max, baseDelay: 0.05, maxDelay: 0.2)
        let stockStream = AlpacaMarketDataStream(environment: .local(base), endpoint: .stocks(feed: "iex"), quotes: ["AAA"], trades: ["AAA"],
                                                 credentials: keys, retry: retry)
        let cryptoStream = AlpacaMarketDataStream(environment: .local(base), endpoint: .crypto, quotes: ["BTC/USD"], credentials: keys,
                                                  retry: retry)
        let listening = [Task { try await stockStream.run { stocks.append($0) } }, Task { try await cryptoStream.run { crypto.append($0) } }]
        #expect(await ExchangeServerHarness.waitUntil {
            stocks.all.contains(.subscribed(bars: [], quotes: ["AAA"], trades: ["AAA"]))
                && crypto.all.contains(.subscribed(bars: [], quotes: ["BTC/USD"], trades: []))
        }, "\(stocks.all) \(crypto.all)")

        await exchange.advance(timeSteps: 20)
        @Sendable func data(_ log: MarketDataLog) -> [AlpacaMarketDataStream.Event] {
            log.all.filter { if case .quote = $0 { true } else if case .trade = $0 { true } else { false } }
        }
        // Required: the checks below read these events by position.
        try #require(await ExchangeServerHarness.waitUntil { data(stocks).count == 40 && data(crypto).count == 20 },
                     "\(data(stocks).count) \(data(crypto).count)")
        #expect(!stocks.all.contains { if case .malformed = $0 { true } else { false } })

        // AAA: for each of bars 30..<50 in order, its trade then its quote.
        for (k, j) in (30..<50).enumerated() {
            let bar = a[j]
            let want = ExpectedBarTape.quote(close: bar.close.description, volume: bar.volume.description, tick: "0.01", lot: "1")
            let size = Quantity(want.size)!
            // AAA is the first of three symbols at each time: the (3j+1)-th bar replayed.
            let trade = Trade(timestamp: bar.timestamp, price: bar.close, size: size, id: UInt64(3 * j + 1), conditions: ["@"])
            let quote = Quote(timestamp: bar.timestamp, bidPrice: Price(want.bid)!, bidSize: size, askPrice: Price(want.ask)!, askSize: size,
                              conditions: ["R"])
            #expect(data(stocks)[2 * k] == .trade(symbol: "AAA", trade), "bar \(j)")
            #expect(data(stocks)[2 * k + 1] == .quote(symbol: "AAA", quote), "bar \(j)")
        }
        // BTC/USD: quotes only, a nano-coin grid, no conditions.
        for (k, j) in (30..<50).enumerated() {
            let bar = pair[j]
            let want = ExpectedBarTape.quote(close: bar.close.description, volume: bar.volume.description, tick: "0.000000001",
                                             lot: "0.000000001")
            let quote = Quote(timestamp: bar.timestamp, bidPrice: Price(want.bid)!, bidSize: Quantity(want.size)!,
                              askPrice: Price(want.ask)!, askSize: Quantity(want.size)!)
            #expect(data(crypto)[k] == .quote(symbol: "BTC/USD", quote), "bar \(j)")
        }
        // The spread is one basis point each side here: synthetic prices near 100 are two-decimal,
        // so e.g. a 100.37 close quotes 100.36 / 100.38 (1bp = 0.010037, one cent).
        #expect(ExpectedBarTape.quote(close: "100.37", volume: "5000", tick: "0.01", lot: "1") == ("100.36", "100.38", "500"))

        // REST says the same as the stream's last message.
        let client = AlpacaTradingClient(environment: .local(base), credentials: keys, transport: AsyncHTTPTransport(timeoutSeconds: 60))
        if case .quote(_, let last) = data(stocks).last {
            #expect(try await client.latestQuote(symbol: "AAA") == last)
        } else {
            Issue.record("the last stock message is not a quote")
        }
        if case .quote(_, let last) = data(crypto).last {
            #expect(try await client.latestQuotes(symbols: ["BTC/USD"])["BTC/USD"] == last)
        }
        for task in listening { task.cancel() }
        await stop()
        try await server.value
    }
}
