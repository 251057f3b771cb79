import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineExchange
import PeregrineLive
import PeregrineStrategies
import PeregrineTestSupport
import Synchronization
import Testing

/// The market-data stream over a real WebSocket to the exchange's server: the subscribed symbols'
/// bars, exact and in order, a reconnection after a drop, one connection per key, refused keys.
@Suite struct MarketDataStreamTests {
    let keys = AlpacaCredentials(keyID: "PKDATA", secret: "data-secret")

    @Test func subscribedBarsArriveExactlyAndAfterADrop() async throws {
        let a = SyntheticMarket.series(bars: 200, seed: 3, symbol: "AAA")
        let b = SyntheticMarket.series(bars: 200, seed: 4, symbol: "BBB")
        let exchange = LocalExchange(series: [a, b], cash: Money(100_000), credentials: keys)
        await exchange.advance(timeSteps: 30)
        let (server, base, stop) = try await ExchangeServerHarness.serve(exchange)
        let events = MarketDataLog()
        let stream = AlpacaMarketDataStream(environment: .local(base), bars: ["AAA"], credentials: keys,
                                            retry: RetryPolicy(maxAttempts: .max, baseDelay: 0.05, maxDelay: 0.2))
        let listening = Task { try await stream.run { events.append($0) } }
        @Sendable func bars() -> [(String, Bar)] { events.all.compactMap { if case .bar(let s, let bar) = $0 { (s, bar) } else { nil } } }
        @Sendable func subscriptions() -> Int { events.all.filter { if case .subscribed(let s, _, _) = $0 { s == ["AAA"] } else { false } }.count }

        #expect(await ExchangeServerHarness.waitUntil { subscriptions() == 1 })
        await exchange.advance(timeSteps: 20)
        #expect(await ExchangeServerHarness.waitUntil { bars().count == 20 })
        #expect(bars().allSatisfy { $0.0 == "AAA" })
        #expect(bars().map(\.1) == (30..<50).map { a[$0] })

        // A second connection with the same key is refused while the first is open.
        let second = MarketDataLog()
        let intruder = Task { try await AlpacaMarketDataStream(environment: .local(base), bars: ["BBB"], credentials: keys,
                                                               retry: RetryPolicy(maxAttempts: .max, baseDelay: 5, maxDelay: 5)).run { second.append($0) } }
        #expect(await ExchangeServerHarness.waitUntil { !second.all.isEmpty })
        #expect(second.all.first.map { if case .disconnected(let reason, _) = $0 { reason.contains("406") } else { false } } == true, "\(second.all)")
        intruder.cancel()

        await exchange.dropStreams()
        #expect(await ExchangeServerHarness.waitUntil { subscriptions() == 2 })
        let before = bars().count
        await exchange.advance(timeSteps: 5)
        #expect(await ExchangeServerHarness.waitUntil { bars().count == before + 5 })
        #expect(bars().suffix(5).map(\.1) == (50..<55).map { a[$0] })
        listening.cancel()

        let wrong = AlpacaMarketDataStream(environment: .local(base), bars: ["AAA"], credentials: AlpacaCredentials(keyID: "PKDATA", secret: "x"))
        await #expect(throws: AlpacaStreamRefused.self) { try await wrong.run { _ in } }
        await stop()
        try await server.value
    }

    /// A trader that would poll only every two minutes hears each bar over the stream and handles 40
    /// bars published every 50 ms within seconds (under 300 s even on a heavily loaded machine; polling alone
    /// would take at least 600 s); a turn may bring several bars, of which it handles those up to 40.
    @Test func theBarStreamWakesTheTrader() async throws {
        var trader = try await StreamingTrader(bars: 300, keys: keys)
        let exchange = trader.exchange
        trader.settings.pollSeconds = 600
        trader.settings.maxBars = 40
        trader.settings.barStreamFeed = "iex"
        let lines = LogLines()
        let session = try await TradingRuntime.start(settings: trader.settings, broker: trader.client, store: nil, log: { lines.append($0) })
        let pacer = Task {
            // Wait for the subscription, then publish a bar every 50 ms.
            while !lines.all.contains(where: { $0.hasPrefix("bar stream: subscribed to SYN") }) { try await Task.sleep(nanoseconds: 10_000_000) }
            for _ in 0..<60 {
                await exchange.advance(timeSteps: 1)
                try await Task.sleep(nanoseconds: 50_000_000)
            }
        }
        let started = Date()
        let report = try await session.run(until: StopSignal())
        let seconds = Date().timeIntervalSince(started)
        pacer.cancel()
        #expect(report.liveBars >= 40 && report.liveBars <= 60 && seconds < 300, "\(report.liveBars) bars in \(seconds) s")
        await trader.stop()
        try await trader.server.value
    }

    @Test func theStreamURLFollowsTheEnvironment() {
        #expect(AlpacaEnvironment.paper.marketDataStreamURL(feed: "iex") == "wss://stream.data.alpaca.markets/v2/iex")
        #expect(AlpacaEnvironment.local("http://127.0.0.1:8123").marketDataStreamURL(feed: "sip") == "ws://127.0.0.1:8123/v2/sip")
    }
}

final class MarketDataLog: Sendable {
    private let events = Mutex<[AlpacaMarketDataStream.Event]>([])
    func append(_ event: AlpacaMarketDataStream.Event) { events.withLock { $0.append(event) } }
    var all: [AlpacaMarketDataStream.Event] { events.withLock { $0 } }
}
