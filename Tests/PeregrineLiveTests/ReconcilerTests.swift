import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineExchange
import PeregrineLive
import PeregrineStorage
import PeregrineTestSupport
import Testing

/// A process that died between "intent stored" and "sent recorded", and one that died before
/// sending: on restart, reconciliation settles both without sending anything twice.
@Suite struct ReconcilerTests {
    let keys = AlpacaCredentials(keyID: "PKREC", secret: "rec-secret")

    func setUp() async throws -> (LocalExchange, AlpacaTradingClient, TradingStore, BarSeries, Int64) {
        let series = SyntheticMarket.series(bars: 100, seed: 2)
        let exchange = LocalExchange(series: [series], credentials: keys)
        await exchange.advance(bars: 10)
        let broker = AlpacaTradingClient(environment: .local("http://local"), credentials: keys,
                                         transport: InProcessTransport(exchange), retry: RetryPolicy(maxAttempts: 1),
                                         clock: { 0 }, sleep: { _ in })
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/live.sqlite")
        let run = try store.beginRun(kind: "sim", strategy: "test", parameters: "", started: Timestamp(seconds: 0),
                                     initialEquity: Money(100_000))
        return (exchange, broker, store, series, run)
    }

    func intent(_ id: String, _ side: OrderSide, _ quantity: Int, run: Int64) -> (OrderIntent, OrderRequest) {
        let request = OrderRequest(instrument: InstrumentID(0), side: side, quantity: Quantity(quantity), clientOrderID: id)
        let body = String(decoding: AlpacaOrderBody(request, symbol: "SYN").json(), as: UTF8.self)
        return (OrderIntent(clientOrderID: id, runID: run, symbol: "SYN", side: side, quantity: Quantity(quantity), type: .market,
                            body: body), request)
    }

    @Test func pendingIntentsAreSettledAndMissedFillsRecovered() async throws {
        let (exchange, broker, store, series, run) = try await setUp()
        // Sent, then the process died before recording "sent".
        let (sent, sentRequest) = intent("r-1", .buy, 30, run: run)
        try store.recordIntent(sent, at: Timestamp(seconds: 1))
        _ = try await broker.submit(sentRequest, symbol: "SYN")
        // Stored, then the process died before sending.
        let (lost, _) = intent("r-2", .buy, 5, run: run)
        try store.recordIntent(lost, at: Timestamp(seconds: 2))
        await exchange.advance(bars: 1)  // r-1 fills while we are down

        let restarted = try TradingStore(path: store.path)
        let report = try await Reconciler(store: restarted, broker: broker).run(at: Timestamp(seconds: 3))
        #expect(report.intents == ["r-1": .foundAtBroker, "r-2": .neverReachedBroker])
        #expect(report.recoveredFills.count == 1 && report.isClean, "\(report)")
        #expect(try restarted.intent("r-1")?.state == .acknowledged && restarted.intent("r-2")?.state == .rejected)
        let fills = try restarted.fills()
        #expect(fills.map(\.quantity) == [Quantity(30)] && fills[0].price == series[10].open)
        #expect(try restarted.netPositions() == ["SYN": Quantity(30)])
        // r-2 was never sent, and is not sent now: the exchange knows only r-1.
        #expect(try await broker.order(clientOrderID: "r-2") == nil)

        // Running it again changes nothing.
        let again = try await Reconciler(store: restarted, broker: broker).run(at: Timestamp(seconds: 4))
        #expect(again.intents.isEmpty && again.recoveredFills.isEmpty && again.isClean)
        #expect(try restarted.fills().count == 1)
    }

    /// A backtest kept in the same file is research, not trading: its fills are no position at the broker.
    @Test func backtestsInTheSameStoreAreNotReconciled() async throws {
        let (_, broker, store, _, _) = try await setUp()
        let backtest = try store.beginRun(kind: "backtest", strategy: "x", parameters: "", started: Timestamp(seconds: 0),
                                          initialEquity: Money(1_000))
        let (old, _) = intent("run9-pg-1", .buy, 50, run: backtest)
        try store.recordIntent(old, at: Timestamp(seconds: 1))
        try store.advance("run9-pg-1", to: .acknowledged, status: "filled", at: Timestamp(seconds: 1))
        try store.recordFill(StoredFill(executionID: "run9-fill1", clientOrderID: "run9-pg-1", timestamp: Timestamp(seconds: 1),
                                        symbol: "SYN", side: .buy, quantity: Quantity(50), price: Price(10)))
        let report = try await Reconciler(store: store, broker: broker).run(at: Timestamp(seconds: 2))
        #expect(report.isClean && report.recoveredFills.isEmpty, "\(report)")
        #expect(try store.netPositions() == ["SYN": Quantity(50)] && store.netPositions(tradingOnly: true).isEmpty)
    }

    @Test func positionsOrOrdersTheStoreDoesNotKnowAreFlagged() async throws {
        let (exchange, broker, store, _, _) = try await setUp()
        // Someone else trades on the account: a filled buy and a resting limit order.
        _ = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(4),
                                                 clientOrderID: "manual-1"), symbol: "SYN")
        _ = try await broker.submit(.limit(InstrumentID(0), .buy, Quantity(1), Price(1), timeInForce: .gtc)
                                    .withClientOrderID("manual-2"), symbol: "SYN")
        await exchange.advance(bars: 1)
        let report = try await Reconciler(store: store, broker: broker).run(at: Timestamp(seconds: 5))
        #expect(!report.isClean)
        #expect(report.mismatches == [.init(symbol: "SYN", store: .zero, broker: Quantity(4))])
        #expect(report.externalOrders == ["manual-2"])
    }
}

extension OrderRequest {
    func withClientOrderID(_ id: String) -> OrderRequest {
        var copy = self
        copy.clientOrderID = id
        return copy
    }
}
