import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineExchange
import PeregrineTestSupport
import Testing

/// The local exchange's crypto pairs (around the clock, Alpaca's crypto order rules, fractions,
/// notional orders, no short sales) and the quotes and trades it derives from its bars.
@Suite struct LocalExchangeCryptoTests {
    let keys = AlpacaCredentials(keyID: "PKCRYPTO", secret: "crypto-secret")

    /// Friday 2024-06-07 19:58 UTC (15:58 New York), one-minute bars.
    static let fridayClose = Timestamp(date: CivilDate(year: 2024, month: 6, day: 7)).nanoseconds + (19 * 60 + 58) * Timestamp.nanosPerMinute

    /// One-minute bars from `start`, each given as (open, high, low, close, volume) text.
    static func bars(_ instrument: Instrument, from start: Int64, _ rows: [(String, String, String, String, String)]) -> BarSeries {
        var series = BarSeries(instrument: instrument)
        for (k, row) in rows.enumerated() {
            series.append(Bar(timestamp: Timestamp(nanoseconds: start + Int64(k) * Timestamp.nanosPerMinute), open: Price(row.0)!,
                              high: Price(row.1)!, low: Price(row.2)!, close: Price(row.3)!, volume: Quantity(row.4)!))
        }
        return series
    }

    /// `count` one-minute BTC/USD bars from `start`, drifting up a dollar a minute, fractional volumes.
    static func btc(from start: Int64, count: Int) -> BarSeries {
        bars(.crypto("BTC/USD"), from: start, (0..<count).map { k in
            let open = 69_000 + k
            return ("\(open)", "\(open + 2).5", "\(open - 1).25", "\(open + 1)", "0.\(1000 + k)")
        })
    }

    func client(_ exchange: LocalExchange) -> AlpacaTradingClient {
        AlpacaTradingClient(environment: .local("http://127.0.0.1:0"), credentials: keys, transport: InProcessTransport(exchange),
                            retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
    }

    func order(_ body: [String: Any], _ exchange: LocalExchange) async throws -> HTTPResponseSpec {
        await exchange.handle(HTTPRequestSpec(method: .post, url: "http://local/v2/orders",
                                              headers: ["APCA-API-KEY-ID": "PKCRYPTO", "APCA-API-SECRET-KEY": "crypto-secret"],
                                              body: try JSONSerialization.data(withJSONObject: body)))
    }

    func message(_ response: HTTPResponseSpec) -> String {
        ((try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any])?["message"] as? String ?? ""
    }

    /// Bars from Friday's stock close into Saturday: an order sent on Saturday fills on the next bar,
    /// in fractions; Alpaca's crypto rules refuse day orders, stops and brackets with a message; a
    /// notional order buys what its amount buys at the latest close; nothing is sold short.
    @Test func cryptoTradesOnTheWeekendInFractionsUnderAlpacasCryptoRules() async throws {
        // 30 hours of bars: past 16:00 New York on Friday, through Saturday.
        let series = Self.btc(from: Self.fridayClose, count: 30 * 60)
        let exchange = LocalExchange(series: [series], cash: Money(100_000), credentials: keys)
        let broker = client(exchange)
        let asset = try await broker.asset("BTC/USD")
        #expect(asset.assetClass == .crypto && asset.fractionable && !asset.shortable && asset.minOrderSize == Quantity("0.000000001")!)

        // Saturday 2024-06-08 15:00 UTC: the 1,142nd bar.
        let saturday = Timestamp(date: CivilDate(year: 2024, month: 6, day: 8)).nanoseconds + 15 * 3_600 * Timestamp.nanosPerSecond
        let index = Int((saturday - Self.fridayClose) / Timestamp.nanosPerMinute)
        await exchange.advance(bars: index + 1)
        let clock = try await broker.clock()
        #expect(clock.isOpen && clock.timestamp.nanoseconds == saturday && CivilDate(daysSinceEpoch: saturday / Timestamp.nanosPerDay).weekday == 6)

        let buy = OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity("0.123456789")!, timeInForce: .gtc,
                               clientOrderID: "sat-1")
        let sent = try await broker.submit(buy, symbol: "BTC/USD")
        #expect(sent.status.isWorking && sent.quantity == Quantity("0.123456789")!, "\(sent.status) \(sent.quantity)")
        await exchange.advance(bars: 1)
        let filled = try #require(try await broker.order(clientOrderID: "sat-1"))
        #expect(filled.status == .filled && filled.filledAveragePrice == series[index + 1].open && filled.filledQuantity == Quantity("0.123456789")!)
        let held = try await broker.positions()
        #expect(held.count == 1 && held[0].symbol == "BTC/USD" && held[0].quantity == Quantity("0.123456789")!)
        // One position by symbol, the pair written with its slash (raw or encoded) or without, as Alpaca takes it.
        for written in ["BTC/USD", "BTC%2FUSD", "BTCUSD"] {
            let one = await exchange.handle(HTTPRequestSpec(method: .get, url: "http://local/v2/positions/\(written)",
                                                            headers: ["APCA-API-KEY-ID": "PKCRYPTO", "APCA-API-SECRET-KEY": "crypto-secret"]))
            let position = try #require(try JSONSerialization.jsonObject(with: one.body) as? [String: Any])
            #expect(one.status == 200 && position["qty"] as? String == "0.123456789" && position["symbol"] as? String == "BTC/USD", "\(written)")
        }

        // Alpaca's crypto rules.
        let base: [String: Any] = ["symbol": "BTC/USD", "qty": "0.01", "side": "buy", "type": "market", "time_in_force": "gtc"]
        var day = base
        day["time_in_force"] = "day"
        let refusedDay = try await order(day, exchange)
        #expect(refusedDay.status == 422 && message(refusedDay) == "crypto orders take time_in_force gtc or ioc, not day (BTC/USD)")
        var stop = base
        stop["type"] = "stop"
        stop["stop_price"] = "70000"
        let refusedStop = try await order(stop, exchange)
        #expect(refusedStop.status == 422 && message(refusedStop) == "crypto orders are market, limit or stop_limit, not stop (BTC/USD)")
        var bracket = base
        bracket["order_class"] = "bracket"
        bracket["take_profit"] = ["limit_price": "80000"]
        bracket["stop_loss"] = ["stop_price": "60000"]
        let refusedBracket = try await order(bracket, exchange)
        #expect(refusedBracket.status == 422 && message(refusedBracket) == "crypto orders are simple orders, not bracket (BTC/USD)")

        // Notional: $1,000 at the latest close, rounded down to a nano-coin.
        let close = series[index + 1].close
        var notional = base
        notional["qty"] = nil
        notional["notional"] = "1000"
        notional["client_order_id"] = "sat-notional"
        let accepted = try await order(notional, exchange)
        #expect(accepted.status == 200, "\(message(accepted))")
        let document = try #require(try JSONSerialization.jsonObject(with: accepted.body) as? [String: Any])
        let expected = (Decimal(1_000) / Decimal(string: close.description)!)
        var rounded = Decimal()
        var exact = expected * Decimal(sign: .plus, exponent: 9, significand: 1)
        NSDecimalRound(&rounded, &exact, 0, .down)
        #expect(document["notional"] as? String == "1000")
        #expect(Quantity(document["qty"] as! String)!.units == Int128((rounded as NSDecimalNumber).int64Value))
        var tooSmall = notional
        tooSmall["notional"] = "0.00000001"
        tooSmall["client_order_id"] = "dust"
        let dust = try await order(tooSmall, exchange)
        #expect(dust.status == 422 && message(dust).hasPrefix("notional 0.00000001 buys less than one lot"), "\(message(dust))")

        // No short sales: selling more than is held (less what other sells hold) is refused.
        var sell = base
        sell["side"] = "sell"
        sell["qty"] = "0.2"
        let oversold = try await order(sell, exchange)
        #expect(oversold.status == 403 && message(oversold) == "insufficient balance for BTC/USD (requested: 0.2, available: 0.123456789)")
        sell["qty"] = "0.123456789"
        sell["client_order_id"] = "sat-sell"
        let allOut = try await order(sell, exchange)
        #expect(allOut.status == 200, "\(message(allOut))")
        sell["qty"] = "0.000000001"
        sell["client_order_id"] = "sat-sell-more"
        let more = try await order(sell, exchange)
        #expect(more.status == 403 && message(more).hasSuffix("available: 0)"), "\(message(more))")
    }

    /// The calendar stays the stock market's (weekdays, NYSE hours) even with only crypto to replay.
    @Test func theCalendarIsTheStockMarketsEvenForCrypto() async throws {
        let series = Self.btc(from: Self.fridayClose, count: 4 * 24 * 60)
        let exchange = LocalExchange(series: [series], credentials: keys)
        let days = try await client(exchange).calendar(start: CivilDate(year: 2024, month: 6, day: 1), end: CivilDate(year: 2024, month: 6, day: 30))
        #expect(days.map(\.date) == [CivilDate(year: 2024, month: 6, day: 7), CivilDate(year: 2024, month: 6, day: 10),
                                     CivilDate(year: 2024, month: 6, day: 11)])
        #expect(days.allSatisfy { $0.openMinute == 9 * 60 + 30 && $0.closeMinute == 16 * 60 })
    }

    static func expected(close: String, volume: String, tick: String, lot: String) -> (bid: String, ask: String, size: String) {
        ExpectedBarTape.quote(close: close, volume: volume, tick: tick, lot: lot)
    }

    @Test func latestQuotesAndTradesComeFromTheLatestReplayedBar() async throws {
        let stock = Self.bars(.usEquity("AAA"), from: Self.fridayClose, [
            ("150.00", "150.10", "149.90", "150.00", "12345"),   // 1bp = 0.015: one cent
            ("2000.00", "2001.00", "1999.00", "2000.37", "7"),    // 1bp = 0.200037: twenty cents; a tenth of 7 is no lot: one share
            ("0.50", "0.52", "0.01", "0.01", "0"),               // the bid cannot go below zero
        ])
        let pair = Self.bars(.crypto("BTC/USD"), from: Self.fridayClose, [
            ("69312.46", "69340.1", "69301.035", "69333.8", "0.41305"),
            ("69333.8", "69351.25", "69320", "69349.995", "1.002154321"),
            ("69349.995", "69349.995", "69288.6", "69290.04", "0.000000005"),
        ])
        let exchange = LocalExchange(series: [stock, pair], credentials: keys)
        let broker = client(exchange)
        // Nothing replayed yet: no quote, and the multi-symbol answer leaves the symbol out.
        await #expect(throws: AlpacaAPIError.self) { try await broker.latestQuote(symbol: "AAA") }
        #expect(try await broker.latestQuotes(symbols: ["AAA", "BTC/USD"]).isEmpty)

        for step in 0..<3 {
            await exchange.advance(timeSteps: 1)
            for (series, symbol) in [(stock, "AAA"), (pair, "BTC/USD")] {
                let bar = series[step]
                let want = Self.expected(close: bar.close.description, volume: bar.volume.description,
                                         tick: series.instrument.tickSize.description, lot: series.instrument.lotSize.description)
                let quote = try await broker.latestQuote(symbol: symbol)
                #expect(quote.bidPrice == Price(want.bid)! && quote.askPrice == Price(want.ask)!, "\(symbol) \(step): \(quote) vs \(want)")
                #expect(quote.bidSize == Quantity(want.size)! && quote.askSize == Quantity(want.size)! && quote.timestamp == bar.timestamp)
                let trade = try await broker.latestTrade(symbol: symbol)
                #expect(trade.price == bar.close && trade.size == Quantity(want.size)! && trade.timestamp == bar.timestamp)
                // The trade's id is the bar's place in the replay: AAA's bars come first at each time.
                #expect(trade.id == UInt64(2 * step + (symbol == "AAA" ? 1 : 2)))
                #expect(quote.conditions == (symbol == "AAA" ? ["R"] : []) && trade.conditions == (symbol == "AAA" ? ["@"] : []))
            }
        }
        // The numbers worked by hand for the record: 150.00 -> 149.99/150.01 x 1234.5 shares rounded to 1234;
        // 2000.37 -> 2000.17/2000.57 x 1; 0.01 -> 0/0.02 x 1; 69290.04 -> 69283.110996/69296.969004 x 0.000000001.
        #expect(Self.expected(close: "150", volume: "12345", tick: "0.01", lot: "1") == ("149.99", "150.01", "1234"))
        #expect(Self.expected(close: "2000.37", volume: "7", tick: "0.01", lot: "1") == ("2000.17", "2000.57", "1"))
        #expect(Self.expected(close: "0.01", volume: "0", tick: "0.01", lot: "1") == ("0", "0.02", "1"))
        #expect(Self.expected(close: "69290.04", volume: "0.000000005", tick: "0.000000001", lot: "0.000000001")
            == ("69283.110996", "69296.969004", "0.000000001"))

        let both = try await broker.latestQuotes(symbols: ["AAA", "BTC/USD"])
        #expect(both["AAA"]?.askPrice == Price("0.02")! && both["BTC/USD"]?.bidPrice == Price("69283.110996")!)
        // A pair asked on the stock endpoint is refused with the endpoint to ask.
        let wrong = await exchange.handle(HTTPRequestSpec(method: .get, url: "http://local/v2/stocks/quotes/latest?symbols=BTC%2FUSD",
                                                          headers: ["APCA-API-KEY-ID": "PKCRYPTO", "APCA-API-SECRET-KEY": "crypto-secret"]))
        #expect(wrong.status == 400 && message(wrong) == "BTC/USD is a crypto pair: ask /v1beta3/crypto/us/latest/...")
    }
}
