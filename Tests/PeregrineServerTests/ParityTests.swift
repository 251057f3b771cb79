import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineLive
@testable import PeregrineServer
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// The parity panel over a bot that traded the local exchange: with the exchange filling by the
/// backtest's rules nothing differs; with slippage at the exchange every fill is named with its
/// numbers, which the test works out by hand from the exchange's rule.
@Suite struct ParityTests {
    let keys = AlpacaCredentials(keyID: "PKPAR", secret: "parity-secret")

    struct Traded {
        let api: ControlAPI
        let store: TradingStore
        let report: TradingReport
    }

    /// A bot (by default sma-cross 3/8 buying 100 shares) warmed on 60 daily bars, then trading 340 more against the exchange.
    static let trend = """
        [trade]
        strategy = "sma-cross"
        symbols = ["SYN"]
        timeframe = "1Day"
        warmup_bars = 60
        [trade.parameters]
        fast = 3
        slow = 8
        quantity = 100
        """

    func trade(slippage: SlippageModel, document: String = Self.trend) async throws -> Traded {
        let series = SyntheticMarket.series(bars: 400, seed: 8, interval: Timestamp.nanosPerDay, symbol: "SYN")
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), venue: VenueConfiguration(slippage: slippage), credentials: keys)
        await exchange.advance(bars: 60)
        let broker = AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: InProcessTransport(exchange),
                                         retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
        // Read from a [trade] table, as peregrine trade and run read it, so the run keeps the document.
        var settings = try TradingSettings(TradeConfiguration.parse(document))
        settings.stepLocalClock = true
        let control = BotControl(name: "trend", settings: settings)
        settings.control = control
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/parity.sqlite")
        let session = try await TradingRuntime.start(settings: settings, broker: broker, store: store, log: { _ in })
        let report = try await session.run(until: StopSignal())
        let plane = TradingControlPlane(bots: [control], store: store, mode: "local")
        let api = ControlAPI(store: store, plane: plane, requestGuard: RequestGuard(token: ServerFixture.token, log: { _ in }), log: { _ in })
        return Traded(api: api, store: store, report: report)
    }

    func get(_ api: ControlAPI, _ target: String) async -> APIResponse {
        await api.handle(APIRequest(method: "GET", target: target, headers: ["Authorization": "Bearer \(ServerFixture.token)"], client: "10.0.0.1"))
    }

    /// The P&L of fills from flat with the position at the last close, worked out here on its own.
    func pnl(_ fills: [StoredFill], lastClose: Price) -> Money {
        var cash = Money.zero
        var held = Quantity.zero
        for fill in fills {
            cash += fill.side == .buy ? -(fill.price * fill.quantity) : fill.price * fill.quantity
            held = Quantity(units: held.units + (fill.side == .buy ? fill.quantity.units : -fill.quantity.units))
        }
        return cash + lastClose * held
    }

    @Test func aBotTradingTheExchangeMatchesItsBacktestWithNothingDifferent() async throws {
        let traded = try await trade(slippage: .none)
        let runID = try #require(traded.report.runID)
        // Every bar the bot handled is stored: its 60 warm-up bars and the 340 it traded on.
        let bars = try traded.store.runBars(runID: runID)
        #expect(bars.count == 400 && bars.filter(\.warmUp).count == 60 && bars.allSatisfy { $0.bot == "trend" && $0.timeframe == "1Day" })
        #expect(bars.filter { !$0.warmUp }.count == traded.report.liveBars)

        let response = await get(traded.api, "/api/v1/parity?bot=trend")
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let parity = try #require(try ServerFixture.json(response) as? [String: Any])
        let fills = try traded.store.fills(runID: runID)
        #expect(fills.count > 10)
        #expect(parity["clean"] as? Bool == true && parity["run_id"] as? Int == Int(runID))
        #expect(parity["live_fills"] as? Int == fills.count && parity["backtest_fills"] as? Int == fills.count && parity["matched"] as? Int == fills.count)
        #expect((parity["differences"] as? [Any])?.isEmpty == true && parity["pnl_difference"] as? String == "0")
        #expect(parity["mean_slippage_bps"] as? Double == 0 && parity["bars"] as? Int == 400 && parity["warm_up_bars"] as? Int == 60)
        // The P&L is the bot's own books' equity change, and the fills' P&L worked out here.
        let expected = pnl(fills, lastClose: try #require(bars.last).bar.close)
        #expect(parity["live_pnl"] as? String == expected.description && parity["backtest_pnl"] as? String == expected.description)
        #expect(expected == traded.report.equity - Money(1_000_000))

        // The answer is the document's Parity schema.
        let document = try JSONSerialization.jsonObject(with: OpenAPIDocument.rendered)
        let found = SchemaValidator(document: document).violations(of: try SchemaValidator.parse(response.body),
                                                                   against: ["$ref": "#/components/schemas/Parity"])
        #expect(found.isEmpty, "\(found.prefix(5))")

        // Refusals: no bot named, an unknown bot or run, an unknown parameter; a store served alone cannot re-run the bot.
        #expect(await get(traded.api, "/api/v1/parity").status == 400)
        #expect(await get(traded.api, "/api/v1/parity?bot=trend&symbol=SYN").status == 400)
        #expect(await get(traded.api, "/api/v1/parity?bot=nobody").status == 404)
        #expect(await get(traded.api, "/api/v1/parity?bot=trend&run=\(runID + 1)").status == 404)
        // A store served alone rebuilds the bot from the configuration its run kept: the same answer to the byte.
        let served = ControlAPI(store: traded.store, plane: StoreOnlyPlane(), requestGuard: RequestGuard(token: ServerFixture.token, log: { _ in }),
                                log: { _ in })
        let readOnly = await get(served, "/api/v1/parity?bot=trend")
        #expect(readOnly.status == 200 && readOnly.body == response.body, "\(String(decoding: readOnly.body, as: UTF8.self).prefix(300))")
        #expect(try traded.store.runConfiguration(runID: runID)?.bot == "trend")
        // A run that kept no configuration cannot be rebuilt there, and says so.
        let bare = try traded.store.beginRun(kind: "local", strategy: "sma-cross", parameters: "", started: Timestamp(seconds: 0),
                                             initialEquity: Money(1_000_000))
        try traded.store.recordRunBars(runID: bare, Array(bars.prefix(3)))
        let unkept = await get(served, "/api/v1/parity?bot=trend&run=\(bare)")
        #expect(unkept.status == 409 && String(decoding: unkept.body, as: UTF8.self).contains("kept no configuration"))
    }

    /// 10 bps of slippage at the exchange: the same fills at the same times, each at a worse price. By the
    /// exchange's rule a buy pays the backtest's price plus 10 bps rounded up to the cent, a sell gets it less
    /// 10 bps rounded down; the P&L differs by the price differences times the quantities.
    @Test func slippageAtTheExchangeNamesEveryFillWithItsNumbers() async throws {
        let traded = try await trade(slippage: .fixedBasisPoints(Rate(partsPerBillion: 1_000_000)))
        let runID = try #require(traded.report.runID)
        let response = await get(traded.api, "/api/v1/parity?bot=trend&run=\(runID)")
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let parity = try #require(try ServerFixture.json(response) as? [String: Any])
        let differences = try #require(parity["differences"] as? [[String: Any]])
        let fills = try traded.store.fills(runID: runID)
        #expect(fills.count > 10 && differences.count == fills.count && parity["matched"] as? Int == fills.count)
        #expect(parity["clean"] as? Bool == false)

        var pnlDifference = Money.zero
        var slippages: [Double] = []
        for (fill, difference) in zip(fills, differences) {
            #expect(difference["kind"] as? String == "differs" && difference["time"] as? String == fill.timestamp.iso8601)
            #expect(difference["side"] as? String == fill.side.rawValue && difference["quantity_difference"] as? String == "0")
            let backtestText = try #require(difference["backtest_price"] as? String)
            let backtest = try #require(Price(backtestText))
            // The exchange's rule by hand: 10 bps of the price (truncated to the nano-unit), then to the cent against the bot.
            let cent: Int64 = 10_000_000
            let delta = backtest.units / 1_000
            let moved = fill.side == .buy ? backtest.units + delta : backtest.units - delta
            let rounded = moved % cent == 0 ? moved : (fill.side == .buy ? (moved / cent + 1) * cent : moved / cent * cent)
            #expect(fill.price.units == rounded, "\(fill.timestamp): \(fill.price) vs \(backtest)")
            #expect(difference["live_price"] as? String == fill.price.description)
            #expect(difference["price_difference"] as? String == Price(units: fill.price.units - backtest.units).description)
            let bps = Double(fill.price.units - backtest.units) / Double(backtest.units) * 10_000 * (fill.side == .buy ? 1 : -1)
            let reported = try #require(difference["slippage_bps"] as? Double)
            #expect(abs(reported - bps) < 1e-9 && reported >= 10 - 1e-9, "\(reported) vs \(bps)")
            slippages.append(bps)
            let gap = Price(units: fill.price.units - backtest.units) * fill.quantity
            pnlDifference += fill.side == .buy ? -gap : gap
        }
        #expect(abs((parity["mean_slippage_bps"] as? Double ?? 0) - slippages.reduce(0, +) / Double(slippages.count)) < 1e-9)
        #expect(parity["pnl_difference"] as? String == pnlDifference.description && pnlDifference < .zero)
        // The bot's side is its books: its P&L is the equity it ended with less its cash at start.
        #expect(parity["live_pnl"] as? String == (traded.report.equity - Money(1_000_000)).description)
        let positions = try #require(parity["positions"] as? [[String: Any]])
        #expect(positions.allSatisfy { $0["live"] as? String == $0["backtest"] as? String })
    }

    /// A portfolio of two sleeves on the multi-strategy kernel, capital split by static weights and moved every
    /// 50 bars: its fills are the multi-strategy backtest's on the same bars.
    @Test func aPortfolioBotMatchesItsMultiStrategyBacktest() async throws {
        let traded = try await trade(slippage: .none, document: """
            [trade]
            symbols = ["SYN"]
            timeframe = "1Day"
            warmup_bars = 60
            [trade.portfolio]
            sleeves = ["sma-cross:fast=3,slow=8,quantity=100", "sma-cross:fast=5,slow=20,quantity=50"]
            allocation = "static:0.5,0.5"
            rebalance_bars = 50
            """)
        let runID = try #require(traded.report.runID)
        let response = await get(traded.api, "/api/v1/parity?bot=trend")
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let parity = try #require(try ServerFixture.json(response) as? [String: Any])
        let fills = try traded.store.fills(runID: runID)
        // Both sleeves traded (100 and 50 shares), and every fill matched.
        #expect(Set(fills.map(\.quantity)) == [Quantity(100), Quantity(50)])
        #expect(parity["clean"] as? Bool == true && parity["matched"] as? Int == fills.count && parity["backtest_fills"] as? Int == fills.count)
        #expect(parity["live_pnl"] as? String == (traded.report.equity - Money(1_000_000)).description)
    }
}
