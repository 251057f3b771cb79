import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineIndicators
import PeregrineStrategies
import Testing

@Suite struct LocalExchangeTests {
    let keys = AlpacaCredentials(keyID: "PKLOCAL", secret: "local-secret")

    func daily(_ bars: Int, seed: UInt64, symbol: String = "SYN") -> BarSeries {
        SyntheticMarket.series(bars: bars, seed: seed, interval: Timestamp.nanosPerDay, symbol: symbol)
    }

    func client(_ exchange: LocalExchange, keys: AlpacaCredentials? = nil) -> AlpacaTradingClient {
        AlpacaTradingClient(environment: .local("http://127.0.0.1:0"), credentials: keys ?? self.keys,
                            transport: InProcessTransport(exchange), retry: RetryPolicy(maxAttempts: 1), clock: { 0 },
                            sleep: { _ in })
    }

    /// SMA 10/30 traded through the Alpaca client against the exchange, one bar at a time, gets the
    /// very fills the backtest gets on the same bars.
    @Test func tradingThroughTheExchangeFillsLikeTheBacktest() async throws {
        let exchange = LocalExchange(series: [daily(2_000, seed: 21)], cash: Money(1_000_000), credentials: keys)
        try await tradeSMAAndCompareWithBacktest(exchange, broker: client(exchange))
    }

    /// The same run with 15% of requests failing (429s, 500s, responses lost after the exchange acted):
    /// the same fills, and no client order id reaches the exchange's book twice.
    @Test func injectedNetworkFaultsChangeNothing() async throws {
        let exchange = LocalExchange(series: [daily(2_000, seed: 21)], cash: Money(1_000_000), credentials: keys)
        let faulty = FaultInjectingTransport(InProcessTransport(exchange), rate: 0.15, seed: 5)
        let broker = AlpacaTradingClient(environment: .local("http://127.0.0.1:0"), credentials: keys, transport: faulty,
                                         retry: RetryPolicy(maxAttempts: 12), clock: { 0 }, sleep: { _ in })
        try await tradeSMAAndCompareWithBacktest(exchange, broker: broker)
        let injected = await faulty.injected
        #expect(FaultInjectingTransport.Fault.allCases.allSatisfy { (injected[$0] ?? 0) > 3 }, "\(injected)")
    }

    func tradeSMAAndCompareWithBacktest(_ exchange: LocalExchange, broker: AlpacaTradingClient) async throws {
        let series = daily(2_000, seed: 21)
        let backtest = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(), series: [series],
                                                    configuration: BacktestConfiguration())
        var cross = MovingAverageCross(fast: 10, slow: 30)
        var sequence = 0
        for index in 0..<series.count {
            await exchange.advance(bars: 1)
            guard let event = cross.update(series[index].close.units) else { continue }
            let held = try await broker.positions().first?.quantity ?? .zero
            let side: OrderSide
            switch event {
            case .crossUp where held == .zero: side = .buy
            case .crossDown where held > .zero: side = .sell
            default: continue
            }
            sequence += 1
            _ = try await broker.submit(.init(instrument: InstrumentID(0), side: side, quantity: Quantity(100),
                                              clientOrderID: "sma-\(sequence)"), symbol: series.instrument.symbol)
        }
        let updates = try await exchange.tradeUpdates.map(AlpacaTradeUpdate.decodeMessage)
        let fills = updates.filter { $0.event == .fill || $0.event == .partialFill }
        #expect(fills.count == backtest.fills.count && fills.count > 20)
        #expect(fills.map { $0.price! } == backtest.fills.map(\.price))
        #expect(fills.map { $0.timestamp! } == backtest.fills.map(\.timestamp))
        #expect(fills.map(\.order.side) == backtest.fills.map(\.side))
        let account = try await broker.account()
        let finalMark = series[series.count - 1].close
        #expect(account.equity == backtest.account.equity(marks: [finalMark]))
        // Every client order id was accepted exactly once.
        let accepted = updates.filter { $0.event == .fill }.map(\.order.clientOrderID)
        #expect(accepted.count == Set(accepted).count && accepted.count == sequence)
    }

    /// Downloading follows next_page_token to the end: the pages join into exactly the replayed bars.
    @Test func barDownloadFollowsEveryPage() async throws {
        let series = daily(1_000, seed: 12)
        let exchange = LocalExchange(series: [series], credentials: keys)
        await exchange.advance(bars: 900)
        let broker = client(exchange)
        let all = try await broker.bars(symbol: "SYN", timeframe: "1Day", start: series[0].timestamp, pageLimit: 128)
        #expect(all == Array(series.bars[0..<900]))  // 8 pages; nothing not yet replayed
        let window = try await broker.bars(symbol: "SYN", timeframe: "1Day", start: series[100].timestamp,
                                           end: series[349].timestamp, pageLimit: 100)
        #expect(window == Array(series.bars[100...349]))
        let one = try await broker.bars(symbol: "SYN", timeframe: "1Day", start: series[899].timestamp, pageLimit: 1)
        #expect(one == [series[899]])
    }

    @Test func assetsDescribeTheReplayedInstruments() async throws {
        let exchange = LocalExchange(series: [daily(50, seed: 1), daily(50, seed: 2, symbol: "ALT")], credentials: keys)
        let broker = client(exchange)
        let asset = try await broker.asset("ALT")
        #expect(asset.symbol == "ALT" && asset.tradable && asset.assetClass == .usEquity)
        #expect(asset.priceIncrement == Price("0.01") && asset.minOrderSize == Quantity(1) && !asset.fractionable)
        await #expect(throws: AlpacaAPIError.self) { try await broker.asset("NONE") }
    }

    @Test func theExchangeRefusesStrangersDuplicatesAndUnknownSymbols() async throws {
        let exchange = LocalExchange(series: [daily(100, seed: 1)], credentials: keys)
        await exchange.advance(bars: 5)
        let stranger = client(exchange, keys: AlpacaCredentials(keyID: "PKLOCAL", secret: "wrong"))
        await #expect(throws: AlpacaAPIError.self) { try await stranger.account() }
        let broker = client(exchange)
        let order = OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(5), clientOrderID: "dup")
        _ = try await broker.submit(order, symbol: "SYN")
        do {
            _ = try await broker.submit(order, symbol: "SYN")
            Issue.record("a reused client order id must be refused")
        } catch let error as AlpacaAPIError {
            #expect(error.status == 422 && error.message == "client_order_id must be unique")
        }
        do {
            _ = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(1),
                                                     clientOrderID: "x"), symbol: "NOPE")
            Issue.record("an unknown symbol must be refused")
        } catch let error as AlpacaAPIError {
            #expect(error.status == 422 && error.message.contains("NOPE"))
        }
    }

    @Test func bracketsRestWithLegsAndBarsNeverShowTheFuture() async throws {
        let series = daily(300, seed: 3)
        let exchange = LocalExchange(series: [series], credentials: keys)
        await exchange.advance(bars: 50)
        let broker = client(exchange)
        let close = series[49].close
        let bracket = OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(10), timeInForce: .gtc,
                                   orderClass: .bracket, takeProfit: Price(units: close.units / 100 * 110),
                                   stopLoss: Price(units: close.units / 100 * 90), clientOrderID: "br-1")
        let placed = try await broker.submit(bracket, symbol: "SYN")
        #expect(placed.orderClass == .bracket && placed.legs.count == 2)
        #expect(Set(placed.legs.map(\.side)) == [.sell])
        await exchange.advance(bars: 1)
        let filled = try #require(try await broker.order(clientOrderID: "br-1"))
        #expect(filled.status == .filled && filled.filledAveragePrice == series[50].open)

        let response = await exchange.handle(HTTPRequestSpec(method: .get, url: "http://x/v2/stocks/bars?symbols=SYN&limit=1000",
                                                              headers: ["APCA-API-KEY-ID": "PKLOCAL", "APCA-API-SECRET-KEY": "local-secret"]))
        let page = try AlpacaBarsPage.decode(response.body)
        #expect(page.bars["SYN"] == Array(series.bars[0..<51]))
        let clock = try await broker.clock()
        #expect(clock.timestamp == series[50].timestamp && clock.isOpen)
    }

    /// Replace (PATCH): the old order ends replaced, the new one works and fills by the venue's rules;
    /// a replacement is sent at most once through lost responses; filled orders and reused ids are refused.
    @Test func replacingAnOrderEndsTheOldOneAndWorksTheNewOne() async throws {
        let series = daily(300, seed: 8)
        let exchange = LocalExchange(series: [series], credentials: keys)
        await exchange.advance(bars: 20)
        let lost = FaultInjectingTransport(InProcessTransport(exchange), rate: 0.5, seed: 3)
        let broker = AlpacaTradingClient(environment: .local("http://127.0.0.1:0"), credentials: keys, transport: lost,
                                         retry: RetryPolicy(maxAttempts: 30), clock: { 0 }, sleep: { _ in })
        let far = Price(units: series[19].close.units / 2)
        let placed = try await broker.submit(.limit(InstrumentID(0), .buy, Quantity(10), far, timeInForce: .gtc)
            .named("rp-1"), symbol: "SYN")
        // Marketable at the next bar: a limit above everything the next bar trades at.
        let high = Price(units: series[20].high.units * 2)
        let replacement = try await broker.replace(orderID: placed.id, quantity: Quantity(7), limitPrice: high, clientOrderID: "rp-2")
        #expect(replacement.clientOrderID == "rp-2" && replacement.quantity == Quantity(7) && replacement.limitPrice == high)
        #expect(try await broker.order(clientOrderID: "rp-1")?.status == .replaced)
        let open = try await broker.openOrders()
        #expect(open.map(\.clientOrderID) == ["rp-2"])
        await exchange.advance(bars: 1)
        let filled = try #require(try await broker.order(clientOrderID: "rp-2"))
        #expect(filled.status == .filled && filled.filledQuantity == Quantity(7) && filled.filledAveragePrice == series[20].open)
        do {
            _ = try await broker.replace(orderID: filled.id, limitPrice: far, clientOrderID: "rp-3")
            Issue.record("a filled order cannot be replaced")
        } catch let error as AlpacaAPIError {
            #expect(error.status == 422)
        }
        let again = try await broker.submit(.limit(InstrumentID(0), .buy, Quantity(1), far, timeInForce: .gtc)
            .named("rp-4"), symbol: "SYN")
        do {
            // Over a clean connection: through lost responses a reused id is indistinguishable from a replay.
            _ = try await client(exchange).replace(orderID: again.id, limitPrice: far, clientOrderID: "rp-2")
            Issue.record("a reused client order id must be refused")
        } catch let error as AlpacaAPIError {
            #expect(error.status == 422 && error.message.contains("unique"))
        }
        #expect(try await broker.order(clientOrderID: "rp-4")?.status == .accepted)
        let injected = await lost.injected
        #expect((injected[.lostResponse] ?? 0) > 0, "\(injected)")
    }

    /// Closing a position: part of it, then a refusal for more than is free (working orders hold the
    /// rest), then the remainder; a flat position has nothing to close.
    @Test func closingPositionsSellsWhatIsHeldAndNoMore() async throws {
        let series = daily(200, seed: 14)
        let exchange = LocalExchange(series: [series], credentials: keys)
        await exchange.advance(bars: 20)
        let broker = client(exchange)
        _ = try await broker.submit(.market(InstrumentID(0), .buy, Quantity(10)).named("cp-1"), symbol: "SYN")
        await exchange.advance(bars: 1)
        let part = try await broker.closePosition(symbol: "SYN", quantity: Quantity(4))
        #expect(part.side == .sell && part.quantity == Quantity(4) && part.type == .market)
        do {
            _ = try await broker.closePosition(symbol: "SYN")
            Issue.record("closing 10 with 4 already on their way out must be refused")
        } catch let error as AlpacaAPIError {
            #expect(error.status == 403 && error.message.contains("available: 6"))
        }
        _ = try await broker.closePosition(symbol: "SYN", quantity: Quantity(6))
        await exchange.advance(bars: 1)
        #expect(try await broker.positions().isEmpty)
        do {
            _ = try await broker.closePosition(symbol: "SYN")
            Issue.record("a flat position has nothing to close")
        } catch let error as AlpacaAPIError {
            #expect(error.status == 404)
        }
    }

    /// The calendar lists the days the data trades, with NYSE hours and the day-after-Thanksgiving
    /// early close.
    @Test func calendarListsTradingDaysWithEarlyCloses() async throws {
        let series = daily(400, seed: 1)
        let exchange = LocalExchange(series: [series], credentials: keys)
        let days = try await client(exchange).calendar(start: CivilDate(year: 2015, month: 1, day: 1),
                                                       end: CivilDate(year: 2016, month: 12, day: 31))
        #expect(days.count == series.count)
        #expect(days.map { $0.date.daysSinceEpoch } == series.timestamps.map { $0 / Timestamp.nanosPerDay })
        #expect(days.allSatisfy { $0.date.weekday != 0 && $0.date.weekday != 6 && $0.openMinute == 9 * 60 + 30 })
        let thanksgivingFriday = try #require(days.first { $0.date == CivilDate(year: 2015, month: 11, day: 27) })
        #expect(thanksgivingFriday.closeMinute == 13 * 60)
        #expect(days.first { $0.date == CivilDate(year: 2015, month: 11, day: 30) }?.closeMinute == 16 * 60)
        let november = try await client(exchange).calendar(start: CivilDate(year: 2015, month: 11, day: 1),
                                                           end: CivilDate(year: 2015, month: 11, day: 30))
        let novemberBars = series.timestamps.filter {
            let day = CivilDate(daysSinceEpoch: $0 / Timestamp.nanosPerDay)
            return day.year == 2015 && day.month == 11
        }
        #expect(november.count == novemberBars.count && november.count >= 20 && november.first?.date == CivilDate(year: 2015, month: 11, day: 2))
    }
}

extension OrderRequest {
    /// The same request under a chosen client order id.
    func named(_ clientOrderID: String) -> OrderRequest {
        var copy = self
        copy.clientOrderID = clientOrderID
        return copy
    }
}
