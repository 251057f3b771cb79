import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineExchange
import PeregrineModels
import Testing

/// Option limit orders on the local exchange live for their day, as Alpaca's (time in force day
/// only): one that does not fill rests, is checked again on each later bar of the underlying,
/// fills there at the model's price worked out by hand, or expires at the first bar of a later
/// session with an `expired` update; a resting order cancels. Other times in force are refused
/// with Alpaca's code and message.
@Suite struct LocalExchangeOptionDayOrderTests {
    let base = LocalExchangeOptionsTests()

    /// Hourly bars on Tuesday 2024-01-09 (9:30 to 12:30 New York) and Wednesday (9:30, 10:30): (open, close).
    static let hours: [(day: Int, hour: Int, open: String, close: String)] = [
        (9, 14, "100", "100"), (9, 15, "102", "101"), (9, 16, "99", "99"), (9, 17, "99", "99"), (10, 14, "95", "95"), (10, 15, "95", "95"),
    ]

    static func hourly() -> BarSeries {
        let bars = hours.map { bar in
            let time = (CivilDate(year: 2024, month: 1, day: bar.day).daysSinceEpoch * 24 + Int64(bar.hour)) * 3_600 * 1_000_000_000
                + 30 * Timestamp.nanosPerMinute
            let open = Price(bar.open)!, close = Price(bar.close)!
            return Bar(timestamp: Timestamp(nanoseconds: time), open: open, high: max(open, close), low: min(open, close), close: close,
                       volume: Quantity(10_000))
        }
        return BarSeries(instrument: .usEquity("SYN"), bars: bars)
    }

    /// The call's price by hand on an hourly bar opening at `spot`, `hours` before its expiry (16:00
    /// New York = 21:00 UTC on Friday the 12th): with fewer than 5 returns behind it the volatility is
    /// the 30% fallback; Black-Scholes at zero rate, in cents.
    static func callPrice(spot: Double, hoursToExpiry: Double) -> Price {
        let value = BlackScholesMerton.value(.call, OptionInputs(spot: spot, strike: 100, volatility: 0.30, expiry: hoursToExpiry / (365 * 24))).price
        return Price(approximating: max((value * 100).rounded(), 1) / 100)
    }

    @Test func aLimitRestsFillsOnALaterBarOrExpiresWithItsDay() async throws {
        let exchange = LocalExchange(series: [Self.hourly()], cash: Money(100_000), credentials: base.keys)
        await exchange.advance(bars: 1)  // Tuesday 9:30: orders sent now live for Tuesday
        let call = "SYN240112C00100000"
        // 10:30 opens at 102, 11:30 at 99 (77.5 and 76.5 hours before the expiry).
        let at1030 = Self.callPrice(spot: 102, hoursToExpiry: 77.5), at1130 = Self.callPrice(spot: 99, hoursToExpiry: 76.5)
        let at1230 = Self.callPrice(spot: 99, hoursToExpiry: 75.5)
        #expect(at1030 > at1130 && at1230 > Price("0.50")!)
        let met = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single(call, "buy", limit: at1130.description))
        let never = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single(call, "buy", limit: "0.50"))
        #expect(met.status == 200 && never.status == 200 && met.orderStatus == "accepted")

        await exchange.advance(bars: 1)  // 10:30: the call costs more than either limit
        #expect(await base.request(exchange, .get, "/v2/orders/\(met.id)").orderStatus == "accepted")
        await exchange.advance(bars: 1)  // 11:30: the first fills at its limit, the model's price
        let filled = await base.request(exchange, .get, "/v2/orders/\(met.id)")
        #expect(filled.orderStatus == "filled" && filled.json["filled_avg_price"] as? String == at1130.description)
        await exchange.advance(bars: 1)  // 12:30: at 99 the call is still above 0.50
        #expect(await base.request(exchange, .get, "/v2/orders/\(never.id)").orderStatus == "accepted")
        // While it rests the 0.50 limit holds 50 of options buying power; the filled call is paid.
        let cash = Money(100_000) - at1130 * Quantity(100)
        #expect(await base.request(exchange, .get, "/v2/account").json["options_buying_power"] as? String == (cash - Money(50)).description)

        await exchange.advance(bars: 1)  // Wednesday 9:30: at 95 the call is worth a cent, but Tuesday's order is over
        let expired = await base.request(exchange, .get, "/v2/orders/\(never.id)")
        #expect(expired.orderStatus == "expired" && expired.json["filled_qty"] as? String == "0")
        let last = try #require(await base.updates(exchange).last)
        #expect(last["event"] as? String == "expired" && (last["order"] as? [String: Any])?["id"] as? String == never.id)
        #expect(last["timestamp"] as? String == "2024-01-10T14:30:00Z")
        #expect(await base.request(exchange, .get, "/v2/account").json["options_buying_power"] as? String == cash.description)
        #expect(await exchange.tradeUpdates.count == 4)  // two new, one fill, one expired
    }

    /// Daily bars: a day order sent after Wednesday's close lives through Thursday's session (the
    /// bar it is checked on) and expires at Friday's bar; a resting mleg order cancels.
    @Test func aDayOrderSentAfterTheCloseLivesThroughTheNextSessionAndCancels() async throws {
        let exchange = LocalExchange(series: [LocalExchangeOptionsTests.series()], credentials: base.keys)
        await exchange.advance(bars: 8)  // Wednesday Jan 10
        let c100 = try OCCSymbol("SYN240119C00100000"), c105 = try OCCSymbol("SYN240119C00105000")
        // Thursday's debit at its open (100.4, eight closes), worked out by hand; both limits a cent short.
        let debit = LocalExchangeOptionsTests.modelPrice(c100, spot: "100.4", closes: 8, at: (1, 11))
            - LocalExchangeOptionsTests.modelPrice(c105, spot: "100.4", closes: 8, at: (1, 11))
        let limit = (debit - Price("0.01")!).description
        let legs = [(c100.description, 1, "buy"), (c105.description, 1, "sell")]
        let kept = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.multiLeg(legs, limit: limit))
        let canceled = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.multiLeg(legs, limit: limit))
        #expect(kept.status == 200 && canceled.status == 200)
        await exchange.advance(bars: 1)  // Thursday: a cent short of the debit
        #expect(await base.request(exchange, .get, "/v2/orders/\(kept.id)").orderStatus == "accepted")
        #expect(await base.request(exchange, .delete, "/v2/orders/\(canceled.id)").status == 204)
        let gone = await base.request(exchange, .get, "/v2/orders/\(canceled.id)")
        #expect(gone.orderStatus == "canceled" && (gone.json["legs"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "canceled" } == true)
        #expect(await base.request(exchange, .delete, "/v2/orders/\(canceled.id)").status == 422)
        await exchange.advance(bars: 1)  // Friday: Thursday's session is over
        #expect(await base.request(exchange, .get, "/v2/orders/\(kept.id)").orderStatus == "expired")
        let events = await base.updates(exchange).map { "\($0["event"] ?? "") \(($0["order"] as? [String: Any])?["id"] ?? "")" }
        #expect(events == ["new \(kept.id)", "new \(canceled.id)", "canceled \(canceled.id)", "expired \(kept.id)"])
        #expect(await base.request(exchange, .get, "/v2/account").json["options_buying_power"] as? String == "100000")
    }

    @Test func onlyDayIsTakenForOptions() async throws {
        let exchange = LocalExchange(series: [LocalExchangeOptionsTests.series()], credentials: base.keys)
        await exchange.advance(bars: 8)
        for tif in ["gtc", "ioc", "fok", "opg", "cls", "week"] {
            let single = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single("SYN240112C00100000", "buy", tif: tif))
            #expect(single.status == 422 && single.code == 42_210_000 && single.message == "order_time_in_force provided not supported for options trading")
            let legs = [("SYN240112C00100000", 1, "buy"), ("SYN240112C00105000", 1, "sell")]
            let multi = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.multiLeg(legs, tif: tif))
            #expect(multi.status == 422 && multi.code == 42_210_000 && multi.message == "invalid time in force")
        }
        #expect(await exchange.tradeUpdates.isEmpty)
    }
}
