import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineLive
import PeregrineRisk
import PeregrineStorage
import PeregrineTestSupport
import Synchronization
import Testing

/// A bot whose turn fails mid-run (here the broker's bars stop coming) still closes what it can
/// before the error stops it: its resting stop canceled at the broker, its risk state saved, a last
/// snapshot, and its run closed at its last equity.
@Suite struct FailingTurnTests {
    let keys = AlpacaCredentials(keyID: "PKFAIL", secret: "fail-secret")

    /// The exchange, until a stop order rests there: from then on every bars request fails.
    final class BarsFailAfterAStop: HTTPTransport, @unchecked Sendable {
        let inner: InProcessTransport
        let failing = Mutex(false)
        let canceled = Mutex(0)
        init(_ inner: InProcessTransport) { self.inner = inner }

        func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
            if request.url.contains("/bars") && failing.withLock({ $0 }) { throw TransportFailure("connection reset (test)") }
            if request.method == .delete && request.url.contains("/v2/orders/") { canceled.withLock { $0 += 1 } }
            let response = try await inner.send(request)
            if request.method == .post, request.url.hasSuffix("/v2/orders"), let body = request.body,
               String(decoding: body, as: UTF8.self).contains(#""type":"stop""#), response.status == 200 {
                failing.withLock { $0 = true }
            }
            return response
        }
    }

    @Test func aFailedTurnClosesTheRunBeforeStopping() async throws {
        let series = SyntheticMarket.series(bars: 600, seed: 5, interval: Timestamp.nanosPerDay, symbol: "SYN")
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: 60)
        let transport = BarsFailAfterAStop(InProcessTransport(exchange))
        let broker = AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: transport,
                                         retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
        var settings = TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "3", "slow": "8"]), symbols: ["SYN"],
                                       timeframe: try BarTimeframe("1Day"))
        settings.warmUpBars = 60
        settings.stepLocalClock = true
        settings.exits = try ExitConfiguration.parse("[exits]\nstop_loss = \"5%\"\nresting = true\n")
        settings.risk = RiskLimits.defaults(barInterval: Timestamp.nanosPerDay)
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/failing.sqlite")
        let session = try await TradingRuntime.start(settings: settings, broker: broker, store: store, log: { _ in })
        await #expect(throws: (any Error).self) { _ = try await session.run(until: StopSignal()) }

        #expect(transport.failing.withLock { $0 })
        // The resting stop was canceled at the broker on the way out.
        #expect(transport.canceled.withLock { $0 } >= 1)
        let open = try await broker.openOrders()
        #expect(open.isEmpty, "\(open.map(\.clientOrderID))")
        // The run is closed, with its last equity, and the risk state is saved for the next start.
        let run = try #require(try store.runs().first)
        #expect(run.finalEquity != nil && run.bars > 0)
        #expect(try store.loadState(TradingRuntime.riskStateKey("sma-cross")) != nil)
        #expect(try store.snapshots(runID: run.id).count >= 2)
    }
}
