import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineExchange
import PeregrineModels
import Testing

/// Alpaca's options levels and options buying power on the local exchange, with the numbers
/// worked out here: a cash-secured put holds its strike x 100 less its premium, a long contract its
/// premium, a spread its maximum loss less its credit; refusals are Alpaca's 403 (code 40310000)
/// naming what was required and what was available.
@Suite struct LocalExchangeOptionBuyingPowerTests {
    let base = LocalExchangeOptionsTests()
    let hundred = Quantity(100)

    func mark(_ symbol: String, spot: String, closes: Int, at day: (Int, Int)) throws -> Price {
        LocalExchangeOptionsTests.modelPrice(try OCCSymbol(symbol), spot: spot, closes: closes, at: day)
    }

    func optionsBuyingPower(_ exchange: LocalExchange) async -> String {
        await base.request(exchange, .get, "/v2/account").json["options_buying_power"] as? String ?? ""
    }

    @Test func aCashSecuredPutHoldsItsStrikeLessItsPremium() async throws {
        let exchange = LocalExchange(series: [LocalExchangeOptionsTests.series()], cash: Money(12_000), credentials: base.keys)
        await exchange.advance(bars: 8)  // Wednesday Jan 10, close 100
        let put105 = "SYN240112P00105000"
        let account = await base.request(exchange, .get, "/v2/account").json
        #expect(account["options_buying_power"] as? String == "12000")
        #expect(account["options_approved_level"] as? Int == 3 && account["options_trading_level"] as? Int == 3)

        // At market the premium is the model's price now: required 10,500 less 100 of it.
        let now = try mark(put105, spot: "100", closes: 8, at: (1, 10))
        let first = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single(put105, "sell"))
        #expect(first.status == 200)
        let held = Money(10_500) - now * hundred
        #expect(await optionsBuyingPower(exchange) == (Money(12_000) - held).description)
        let second = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single(put105, "sell"))
        #expect(second.status == 403 && second.code == 40_310_000)
        #expect(second.message == "insufficient options buying power for cash-secured put (required: \(held), available: \(Money(12_000) - held))")

        await exchange.advance(bars: 1)  // Thursday: sold at the open's price; the strike is held
        let sold = try mark(put105, spot: "100.4", closes: 8, at: (1, 11))
        let cash = Money(12_000) + sold * hundred
        #expect(await optionsBuyingPower(exchange) == (cash - Money(10_500)).description)

        // A call sold without 100 shares is refused whatever the cash.
        let naked = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single("SYN240119C00110000", "sell"))
        #expect(naked.status == 403 && naked.message == "insufficient underlying qty available for covered call (required: 100, available: 0)")
        // A long call needs its premium: at a 25.00 limit, 2,500.
        let long = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single("SYN240119C00080000", "buy", limit: "25"))
        #expect(long.status == 403 && long.message == "insufficient options buying power (required: 2500, available: \(cash - Money(10_500)))")

        // A bull put spread on Jan 19: its maximum loss, 5 x 100, less its credit at the marks now
        // (Thursday's close 100, nine closes); the short put of Jan 12 stays secured beside it.
        let p100 = try mark("SYN240119P00100000", spot: "100", closes: 9, at: (1, 11)), p95 = try mark("SYN240119P00095000", spot: "100", closes: 9, at: (1, 11))
        let spread = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.multiLeg(
            [("SYN240119P00100000", 1, "sell"), ("SYN240119P00095000", 1, "buy")]))
        #expect(spread.status == 200)
        let spreadHold = Money(500) - (p100 - p95) * hundred
        #expect(await optionsBuyingPower(exchange) == (cash - Money(10_500) - spreadHold).description)
        // Two short calls against one long: one call uncovered.
        let ratio = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.multiLeg(
            [("SYN240119C00105000", 2, "sell"), ("SYN240119C00110000", 1, "buy")]))
        #expect(ratio.status == 403 && ratio.code == 40_310_000 && ratio.message == "account not eligible to trade uncovered option contracts")
    }

    @Test func eachLevelTradesWhatAlpacasDoes() async throws {
        let exchange = LocalExchange(series: [LocalExchangeOptionsTests.series()], cash: Money(100_000), credentials: base.keys, optionsLevel: 1)
        let broker = base.client(exchange)
        await exchange.advance(bars: 7)
        _ = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: hundred, clientOrderID: "shares"), symbol: "SYN")
        await exchange.advance(bars: 1)  // Wednesday: 100 shares bought at the open
        let account = await base.request(exchange, .get, "/v2/account").json
        #expect(account["options_approved_level"] as? Int == 1 && account["options_trading_level"] as? Int == 1)
        // Level 1: a covered call and a cash-secured put.
        #expect(await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single("SYN240112C00105000", "sell")).status == 200)
        let second = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single("SYN240112C00102500", "sell"))
        #expect(second.status == 403 && second.message == "insufficient underlying qty available for covered call (required: 100, available: 0)")
        #expect(await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single("SYN240112P00095000", "sell")).status == 200)
        // Not level 2 nor 3.
        let long = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single("SYN240112C00100000", "buy"))
        #expect(long.status == 403 && long.code == 40_310_000 && long.message == "account not eligible for level2 options trading")
        let spread = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.multiLeg(
            [("SYN240112C00100000", 1, "buy"), ("SYN240112C00102500", 1, "sell")]))
        #expect(spread.status == 403 && spread.message == "account not eligible for level3 options trading")

        let disabled = LocalExchange(series: [LocalExchangeOptionsTests.series()], credentials: base.keys, optionsLevel: 0)
        await disabled.advance(bars: 8)
        let refused = await base.request(disabled, .post, "/v2/orders", body: LocalExchangeOptionsTests.single("SYN240112P00095000", "sell"))
        #expect(refused.status == 403 && refused.message == "account not authorized to trade options")
        #expect(await base.request(disabled, .get, "/v2/account").json["options_trading_level"] as? Int == 0)
    }

    /// Shares sold from under covered calls leave them uncovered: closing one of them is taken, any
    /// order that opens a contract on the stock is refused until they are covered again.
    @Test func callsLeftUncoveredCanOnlyBeClosed() async throws {
        let exchange = LocalExchange(series: [LocalExchangeOptionsTests.series()], cash: Money(100_000), credentials: base.keys)
        let broker = base.client(exchange)
        await exchange.advance(bars: 7)
        _ = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(200), clientOrderID: "in"), symbol: "SYN")
        await exchange.advance(bars: 1)  // Wednesday: 200 shares
        let call = "SYN240119C00105000"
        #expect(await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single(call, "sell", qty: 2)).status == 200)
        _ = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .sell, quantity: Quantity(200), clientOrderID: "out"), symbol: "SYN")
        await exchange.advance(bars: 1)  // Thursday: the calls sold, the shares sold
        let put = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single("SYN240119P00095000", "sell"))
        #expect(put.status == 403 && put.message == "account not eligible to trade uncovered option contracts")
        let close = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single(call, "buy"))
        #expect(close.status == 200)
        await exchange.advance(bars: 1)
        #expect(await base.request(exchange, .get, "/v2/orders/\(close.id)").orderStatus == "filled")
    }

    /// Early exercise of a deep in-the-money long put: 100 shares sold at the strike, the shares
    /// held before gone, the cash up by the strike x 100.
    @Test func aDeepInTheMoneyPutIsExercisedEarly() async throws {
        let exchange = LocalExchange(series: [LocalExchangeOptionsTests.series()], cash: Money(100_000), credentials: base.keys)
        let broker = base.client(exchange)
        await exchange.advance(bars: 7)
        _ = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: hundred, clientOrderID: "shares"), symbol: "SYN")
        let put = "SYN240119P00120000"
        let bought = await base.request(exchange, .post, "/v2/orders", body: LocalExchangeOptionsTests.single(put, "buy"))
        #expect(bought.status == 200)
        await exchange.advance(bars: 1)  // Wednesday: both fill at the open, 100
        let paid = try mark(put, spot: "100", closes: 7, at: (1, 10))
        #expect(await base.request(exchange, .get, "/v2/orders/\(bought.id)").json["filled_avg_price"] as? String == paid.description)
        #expect(try await broker.positions().count == 2)
        try await broker.exercise(try OCCSymbol(put))
        #expect(try await broker.positions().isEmpty)
        let cash = try await broker.account().cash
        #expect(cash == Money(100_000) - Price("100")! * hundred - paid * hundred + Money(12_000))
    }
}
