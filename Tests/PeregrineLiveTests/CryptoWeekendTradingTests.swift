import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineLive
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// A crypto bot on the local exchange over HTTP through a weekend: BTC/USD one-minute bars from
/// Friday afternoon in New York (past the stock market's 16:00 close) through Saturday and Sunday to
/// Monday. It trades fractions on Saturday and Sunday, nothing is refused or held for a market that
/// is closed, and its books, the store and the exchange agree to the unit at the end; its fills are
/// the backtest's on the same bars. The same bars as a stock fill only in the stock market's hours.
@Suite struct CryptoWeekendTradingTests {
    let keys = AlpacaCredentials(keyID: "PKWEEKEND", secret: "weekend-secret")
    let warmUp = 60

    /// 1-minute BTC/USD bars from Friday 2024-06-07 19:00 UTC (15:00 New York) to Monday 2024-06-10
    /// 01:00 UTC (Sunday 21:00 New York), with fractional volumes.
    func weekend() -> BarSeries {
        var options = SyntheticMarket.Options()
        options.calendar = .continuous
        options.start = CivilDate(year: 2024, month: 6, day: 7)
        options.startPrice = 69_000
        options.volatility = 0.9
        options.seed = 11
        options.bars = 19 * 60 + 54 * 60 + 1
        let generated = SyntheticMarket(options: options).generate()
        var series = BarSeries(instrument: .crypto("BTC/USD"))
        for bar in generated.bars.dropFirst(19 * 60) {
            series.append(Bar(timestamp: bar.timestamp, open: bar.open, high: bar.high, low: bar.low, close: bar.close,
                              volume: Quantity(units: bar.volume.units / 7_919)))
        }
        return series
    }

    /// The weekday of an instant in New York (0 Sunday ... 6 Saturday).
    func newYorkWeekday(_ time: Timestamp) -> Int {
        let local = time.nanoseconds + ZoneRule.usEastern.offsetSeconds(at: time) * Timestamp.nanosPerSecond
        return CivilDate(daysSinceEpoch: local.floorDivided(by: Timestamp.nanosPerDay)).weekday
    }

    /// Whether an instant is within 09:30-16:00 New York time (the stock calendar's hours).
    func inStockSession(_ time: Timestamp) -> Bool {
        let local = time.nanoseconds + ZoneRule.usEastern.offsetSeconds(at: time) * Timestamp.nanosPerSecond
        let minute = (local - local.floorDivided(by: Timestamp.nanosPerDay) * Timestamp.nanosPerDay) / Timestamp.nanosPerMinute
        return minute >= 570 && minute < 960
    }

    func backtest(_ series: BarSeries) throws -> BacktestResult {
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(1_000_000)
        configuration.tradingStart = Timestamp(nanoseconds: series.timestamps[warmUp])
        return try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: parameters, series: [series],
                                                    configuration: configuration)
    }

    let parameters = StrategyParameters(["fast": "5", "slow": "20", "quantity": "0.25"])

    @Test func aCryptoBotTradesThroughTheWeekendAndItsBooksReconcile() async throws {
        let series = weekend()
        #expect(series.count == 54 * 60 + 1)
        #expect(newYorkWeekday(series[0].timestamp) == 5 && newYorkWeekday(series[series.count - 1].timestamp) == 0)
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: warmUp)
        let (server, base, stop) = try await ExchangeServerHarness.serve(exchange)
        let broker = AlpacaTradingClient(environment: .local(base), credentials: keys, transport: AsyncHTTPTransport(timeoutSeconds: 60),
                                         budget: RequestBudget(limit: 1_000_000))
        var settings = TradingSettings(strategy: "sma-cross", parameters: parameters, symbols: ["BTC/USD"], timeframe: try BarTimeframe("1Min"))
        settings.warmUpBars = warmUp
        settings.stepLocalClock = true
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/weekend.sqlite")
        let session = try await TradingRuntime.start(settings: settings, broker: broker, store: store, log: { _ in })
        let report = try await session.run(until: StopSignal())
        let expected = try backtest(series)

        #expect(report.stopReason == "the exchange has no more bars" && report.liveBars == series.count - warmUp)
        // Nothing refused: no broker refusal, no rejection of any kind among the decisions.
        #expect(report.brokerRejections == 0)
        #expect(report.decisionCounts.keys.filter { $0.hasPrefix("rejected") && $0 != "rejected:warm_up" }.isEmpty, "\(report.decisionCounts)")
        // Fills on Saturday and on Sunday (New York), each of a quarter coin, each on the bar after its decision.
        let saturday = report.fills.filter { newYorkWeekday($0.timestamp) == 6 }
        let sunday = report.fills.filter { newYorkWeekday($0.timestamp) == 0 }
        #expect(saturday.count >= 20 && sunday.count >= 20, "\(saturday.count) on Saturday, \(sunday.count) on Sunday")
        #expect(report.fills.allSatisfy { $0.quantity == Quantity("0.25")! })
        // Every order filled, but perhaps one sent on the last bar (canceled at the stop).
        #expect(report.fills.count >= report.ordersSent - 1 && report.ordersSent > 40)

        // The backtest's fills on the same bars: none waited for a session.
        #expect(report.fills.map(\.price) == expected.fills.map(\.price))
        #expect(report.fills.map(\.timestamp) == expected.fills.map(\.timestamp))
        #expect(report.fills.map(\.side) == expected.fills.map(\.side))
        #expect(report.equity == expected.finalEquity)

        // Books, store and exchange agree to the unit.
        #expect(report.brokerEquity == report.equity)
        let account = try await broker.account()
        #expect(account.cash == expected.account.cash)
        let held = try await broker.positions()
        let position = expected.account.position(InstrumentID(0)).quantity
        #expect((held.first?.quantity ?? .zero) == position && (held.first?.symbol ?? "BTC/USD") == "BTC/USD")
        let stored = try store.fills(runID: report.runID, tradingOnly: true)
        #expect(stored.map(\.price) == report.fills.map(\.price) && stored.map(\.quantity) == report.fills.map(\.quantity))
        let reconciliation = try await Reconciler(store: store, broker: broker).run(at: WallClock.now())
        #expect(reconciliation.isClean, "\(reconciliation)")

        // Every order reached the exchange good till canceled (Alpaca takes no day orders for crypto).
        let listed = await exchange.handle(HTTPRequestSpec(method: .get, url: "http://local/v2/orders?status=all",
                                                           headers: ["APCA-API-KEY-ID": "PKWEEKEND", "APCA-API-SECRET-KEY": "weekend-secret"]))
        let orders = try #require(try JSONSerialization.jsonObject(with: listed.body) as? [[String: Any]])
        #expect(orders.count == report.ordersSent)
        #expect(orders.allSatisfy { $0["time_in_force"] as? String == "gtc" && $0["asset_class"] as? String == "crypto" })
        await stop()
        try await server.value

        // The control: the same bars traded as a (fractional) stock fill only inside the stock
        // market's hours, 09:30 to 16:00 New York; the crypto run fills at night too, so it could not
        // have passed under a stock calendar.
        var asStock = BarSeries(instrument: Instrument(symbol: "BTCX", assetClass: .usEquity, tickSize: Price(units: 1),
                                                       lotSize: Quantity(units: 1)))
        for bar in series.bars { asStock.append(bar) }
        let stockRun = try backtest(asStock)
        #expect(!stockRun.fills.isEmpty && stockRun.fills.allSatisfy { inStockSession($0.timestamp) })
        let night = report.fills.filter { !inStockSession($0.timestamp) }
        #expect(night.count > 40 && night.contains { newYorkWeekday($0.timestamp) == 6 } && night.contains { newYorkWeekday($0.timestamp) == 0 },
                "\(night.count) crypto fills outside 09:30-16:00 New York")
        print("weekend crypto run: \(report.liveBars) bars, \(report.ordersSent) orders, \(report.fills.count) fills (\(saturday.count) on Saturday, "
            + "\(sunday.count) on Sunday, \(night.count) outside stock hours), equity \(report.equity); as a stock: \(stockRun.fills.count) fills")
    }

    /// With bar_stream set, a crypto trader listens on Alpaca's crypto stream (not the stock feed):
    /// a trader that would poll only every two minutes handles 40 bars published every 50 ms within
    /// seconds (under 300 s on a heavily loaded machine; polling alone would take at least 600 s).
    @Test func theCryptoBarStreamWakesACryptoTrader() async throws {
        let series = weekend()
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: warmUp)
        let (server, base, stop) = try await ExchangeServerHarness.serve(exchange)
        let broker = AlpacaTradingClient(environment: .local(base), credentials: keys, transport: AsyncHTTPTransport(timeoutSeconds: 60),
                                         budget: RequestBudget(limit: 1_000_000))
        var settings = TradingSettings(strategy: "sma-cross", parameters: parameters, symbols: ["BTC/USD"], timeframe: try BarTimeframe("1Min"))
        settings.warmUpBars = warmUp
        settings.tradeStreamKeys = keys
        settings.barStreamFeed = "iex"
        settings.pollSeconds = 600
        settings.maxBars = 40
        let lines = LogLines()
        let session = try await TradingRuntime.start(settings: settings, broker: broker, store: nil, log: { lines.append($0) })
        let halt = StopSignal()
        let pacer = Task {
            // Without the crypto subscription the run is stopped at once rather than left to poll.
            let subscribed = await ExchangeServerHarness.waitUntil(20) { lines.all.contains("bar stream: subscribed to BTC/USD (crypto/us)") }
            guard subscribed else { halt.request(); return }
            for _ in 0..<60 {
                await exchange.advance(timeSteps: 1)
                try await Task.sleep(nanoseconds: 50_000_000)
            }
        }
        let started = Date()
        let report = try await session.run(until: halt)
        let seconds = Date().timeIntervalSince(started)
        pacer.cancel()
        #expect(report.liveBars == 40 && seconds < 300, "\(report.liveBars) bars in \(seconds) s: \(lines.all.suffix(5))")
        #expect(!lines.all.contains { $0.contains("(iex)") }, "\(lines.all)")
        await stop()
        try await server.value
    }
}
