import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineExchange
import PeregrineLive
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Synchronization
import Testing

/// The trading stream over a real WebSocket to the exchange's server: updates in order, refusals,
/// reconnection after drops, and a trading run that loses nothing while the stream keeps dropping.
@Suite struct TradeStreamTests {
    let keys = AlpacaCredentials(keyID: "PKSTREAM", secret: "stream-secret")

    @Test func updatesArriveAndTheStreamComesBackAfterADrop() async throws {
        let series = SyntheticMarket.series(bars: 300, seed: 5)
        let exchange = LocalExchange(series: [series], cash: Money(100_000), credentials: keys)
        await exchange.advance(bars: 30)
        let (server, base, stop) = try await ExchangeServerHarness.serve(exchange)
        let client = AlpacaTradingClient(environment: .local(base), credentials: keys, transport: AsyncHTTPTransport(timeoutSeconds: 60))
        let events = EventLog()
        let stream = AlpacaTradeStream(environment: .local(base), credentials: keys,
                                       retry: RetryPolicy(maxAttempts: .max, baseDelay: 0.05, maxDelay: 0.2))
        let listening = Task { try await stream.run { event in events.append(event) } }
        @Sendable func fills(_ id: String) -> [AlpacaTradeUpdate] {
            events.all.compactMap { if case .update(let u) = $0, u.event == .fill, u.order.clientOrderID == id { u } else { nil } }
        }
        @Sendable func count(_ match: (AlpacaTradeStream.Event) -> Bool) -> Int { events.all.filter(match).count }

        #expect(await ExchangeServerHarness.waitUntil { count { $0 == .connected } == 1 })
        _ = try await client.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(5), clientOrderID: "s-1"),
                                    symbol: "SYN")
        await exchange.advance(bars: 1)
        #expect(await ExchangeServerHarness.waitUntil { !fills("s-1").isEmpty })
        #expect(fills("s-1").first?.price == series[30].open && fills("s-1").first?.positionQuantity == Quantity(5))

        await exchange.dropStreams()
        #expect(await ExchangeServerHarness.waitUntil { count { if case .disconnected = $0 { true } else { false } } >= 1 })
        #expect(await ExchangeServerHarness.waitUntil { count { $0 == .connected } == 2 })
        _ = try await client.submit(OrderRequest(instrument: InstrumentID(0), side: .sell, quantity: Quantity(5), clientOrderID: "s-2"),
                                    symbol: "SYN")
        await exchange.advance(bars: 1)
        #expect(await ExchangeServerHarness.waitUntil { !fills("s-2").isEmpty })
        #expect(fills("s-2").first?.price == series[31].open && fills("s-2").first?.positionQuantity == Quantity.zero)
        listening.cancel()

        let wrong = AlpacaTradeStream(environment: .local(base), credentials: AlpacaCredentials(keyID: "PKSTREAM", secret: "guess"))
        await #expect(throws: AlpacaStreamRefused.self) { try await wrong.run { _ in } }
        await stop()
        try await server.value
    }

    /// An mleg option order on the account (sent by hand, say) is passed over: the stream stays
    /// connected and the next stock order's fill arrives.
    @Test func multiLegOrdersOnTheAccountDoNotBreakTheStream() async throws {
        let series = SyntheticMarket.series(bars: 300, seed: 5, interval: Timestamp.nanosPerDay)
        let exchange = LocalExchange(series: [series], cash: Money(100_000), credentials: keys)
        await exchange.advance(bars: 30)
        let (server, base, stop) = try await ExchangeServerHarness.serve(exchange)
        let client = AlpacaTradingClient(environment: .local(base), credentials: keys, transport: AsyncHTTPTransport(timeoutSeconds: 60))
        let events = EventLog()
        let stream = AlpacaTradeStream(environment: .local(base), credentials: keys,
                                       retry: RetryPolicy(maxAttempts: .max, baseDelay: 0.05, maxDelay: 0.2))
        let listening = Task { try await stream.run { event in events.append(event) } }
        #expect(await ExchangeServerHarness.waitUntil { events.all.contains { $0 == .connected } })
        let calls = try await client.optionContracts({ var q = AlpacaOptionContractsQuery(underlyingSymbols: ["SYN"]); q.type = .call; return q }())
        let expiry = try #require(calls.map(\.symbol.expiration).min())
        let strikes = calls.filter { $0.symbol.expiration == expiry }.map(\.symbol).sorted()
        let spread = try await client.submit(AlpacaMultiLegOrderBody(quantity: 1, legs: [(strikes[0], 1, .buy, .buyToOpen), (strikes[1], 1, .sell, .sellToOpen)],
                                                                     clientOrderID: "m-1"))
        _ = try await client.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(5), clientOrderID: "s-1"),
                                    symbol: "SYN")
        await exchange.advance(bars: 1)
        #expect(await ExchangeServerHarness.waitUntil {
            events.all.contains { if case .update(let u) = $0 { u.event == .fill && u.order.clientOrderID == "s-1" } else { false } }
        })
        #expect(spread.legs.count == 2)
        #expect(!events.all.contains { if case .disconnected = $0 { true } else { false } })
        #expect(await exchange.tradeUpdates.count >= 4)  // the spread's new and fill, the stock order's new and fill
        listening.cancel()
        await stop()
        try await server.value
    }

    /// The exchange replays a bar every 10 ms on its own clock and drops the stream every 120 bars; the trader
    /// hears of fills only over the stream (and a REST catch-up after each reconnection). At the end
    /// the store has exactly the exchange's fills and both agree on the position.
    @Test func tradingOverADroppingStreamLosesNothing() async throws {
        var trader = try await StreamingTrader(bars: 900, keys: keys)
        let (series, exchange, client) = (trader.series, trader.exchange, trader.client)
        trader.settings.pollSeconds = 0.002
        trader.settings.maxBars = series.count - 60
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/stream.sqlite")
        // Watchers hear of every connection and drop of the stream.
        let hub = TelemetryHub()
        let states = Mutex<[String]>([])
        hub.observe { event in if case .connection(_, let state) = event { states.withLock { $0.append(state) } } }
        let control = BotControl(name: "streamer", settings: trader.settings, telemetry: hub)
        trader.settings.control = control
        let session = try await TradingRuntime.start(settings: trader.settings, broker: client, store: store, log: { _ in })
        // The exchange's own clock starts once the trader has its history.
        let pacer = Task {
            var step = 0
            while await exchange.advance(timeSteps: 1) > 0 {
                step += 1
                if step % 120 == 0 { await exchange.dropStreams() }
                try await Task.sleep(nanoseconds: 10_000_000)
            }
        }
        let report = try await session.run(until: StopSignal())
        try await pacer.value

        #expect(report.liveBars == series.count - 60)
        #expect(report.streamDrops >= 5 && report.streamConnections >= 6, "\(report.streamDrops) \(report.streamConnections)")
        let heard = states.withLock { $0 }
        #expect(heard.filter { $0 == "connected" }.count == report.streamConnections, "\(heard)")
        #expect(heard.filter { $0 == "disconnected" }.count >= report.streamDrops)
        #expect(control.status.streams["trading stream (streamer)"] != nil)
        let fills = try await exchange.tradeUpdates(after: 0).map(AlpacaTradeUpdate.decodeMessage).filter { $0.event == .fill }
        #expect(fills.count >= 10)
        var atExchange: [String: Quantity] = [:]
        for fill in fills { atExchange[fill.order.clientOrderID, default: .zero] += fill.quantity! }
        var inStore: [String: Quantity] = [:]
        for fill in try store.fills(tradingOnly: true) { inStore[fill.clientOrderID, default: .zero] += fill.quantity }
        #expect(atExchange == inStore)
        #expect(report.fills.count == fills.count)
        let held = try await client.positions().first?.quantity ?? .zero
        #expect((try store.netPositions(tradingOnly: true)["SYN"] ?? .zero) == held)
        print("stream run: \(report.liveBars) bars, \(fills.count) fills, \(report.streamDrops) drops, \(report.streamConnections) connections")
        await trader.stop()
        try await trader.server.value
    }
}

/// Stream events collected from the callback.
final class EventLog: Sendable {
    private let events = Mutex<[AlpacaTradeStream.Event]>([])
    func append(_ event: AlpacaTradeStream.Event) { events.withLock { $0.append(event) } }
    var all: [AlpacaTradeStream.Event] { events.withLock { $0 } }
}
