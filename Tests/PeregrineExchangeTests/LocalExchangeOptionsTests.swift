import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineExchange
import PeregrineModels
import Testing

/// Options on the local exchange, through Peregrine's own Alpaca client: the listing, fills at the
/// model's price recomputed here by hand (realized volatility, time to the 16:00 New York expiry,
/// Black-Scholes, cents), an mleg iron condor, exercise, and settlement at expiry into stock, with
/// the account's cash followed to the unit.
@Suite struct LocalExchangeOptionsTests {
    let keys = AlpacaCredentials(keyID: "PKOPT", secret: "option-secret")
    /// The same keys as request headers, for the endpoints the client has no call for.
    let headers = ["APCA-API-KEY-ID": "PKOPT", "APCA-API-SECRET-KEY": "option-secret"]

    /// Weekday daily bars from Monday 2024-01-01 at midnight UTC: (open, close).
    static let days: [(open: String, close: String)] = [
        ("100", "100"), ("100", "101"), ("101", "99"), ("99", "100.5"), ("100.5", "99.5"), // Jan 1-5
        ("99.5", "101.5"), ("101.5", "100"), ("100", "100"), ("100.4", "100"), ("101.2", "103"), // Jan 8-12
        ("103.5", "104"), ("104", "104.5"), ("104.5", "104"), ("104", "105"), ("105", "105"), // Jan 15-19
    ]

    static func series(symbol: String = "SYN") -> BarSeries {
        var bars: [Bar] = []
        var day = CivilDate(year: 2024, month: 1, day: 1).daysSinceEpoch
        for (open, close) in days {
            while [0, 6].contains(CivilDate(daysSinceEpoch: day).weekday) { day += 1 }
            let o = Price(open)!, c = Price(close)!
            bars.append(Bar(timestamp: Timestamp(nanoseconds: day * Timestamp.nanosPerDay), open: o, high: max(o, c) + Price("0.5")!,
                            low: min(o, c) - Price("0.5")!, close: c, volume: Quantity(10_000)))
            day += 1
        }
        return BarSeries(instrument: .usEquity(symbol), bars: bars)
    }

    func client(_ exchange: LocalExchange) -> AlpacaTradingClient {
        AlpacaTradingClient(environment: .local("http://127.0.0.1:0"), credentials: keys, transport: InProcessTransport(exchange),
                            retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
    }

    /// The price by hand: sample standard deviation of the log returns of `closes` times sqrt(252),
    /// years from `time` to 16:00 New York (21:00 UTC in January) on the expiry, Black-Scholes at
    /// zero rate, rounded to the cent, at least a cent.
    static func modelPrice(_ contract: OCCSymbol, spot: String, closes: Int, at day: (Int, Int)) -> Price {
        let values = days.prefix(closes).map { Double($0.close)! }
        let returns = zip(values.dropFirst(), values).map { log($0 / $1) }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(returns.count - 1)
        let volatility = (variance * 252).squareRoot()
        let now = CivilDate(year: 2024, month: day.0, day: day.1).daysSinceEpoch * 24
        let expiry = contract.expiration.daysSinceEpoch * 24 + 21
        let years = Double(expiry - now) / (365 * 24)
        let value = BlackScholesMerton.value(contract.type, OptionInputs(spot: Double(spot)!, strike: contract.strike.doubleValue,
                                                                         volatility: volatility, expiry: years)).price
        // A living contract trades at a cent at least.
        return Price(approximating: max((value * 100).rounded(), 1) / 100)
    }

    func get(_ exchange: LocalExchange, _ path: String) async -> Data {
        await exchange.handle(HTTPRequestSpec(method: .get, url: "http://x" + path,
                                              headers: headers)).body
    }

    func activities(_ exchange: LocalExchange) async throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: await get(exchange, "/v2/account/activities")) as? [[String: Any]])
    }

    @Test func listingIsTheGridAroundThePriceWithFiltersAndPages() async throws {
        let exchange = LocalExchange(series: [Self.series()], credentials: keys)
        await exchange.advance(bars: 8)  // through Wednesday 2024-01-10, close 100
        let broker = client(exchange)
        var query = AlpacaOptionContractsQuery(underlyingSymbols: ["SYN"])
        query.limit = 7
        let all = try await broker.optionContracts(query)
        // Fridays Jan 12, 19, 26, Feb 2, 9; strikes 80 to 120 by 2.50 (17); calls and puts.
        #expect(all.count == 5 * 17 * 2)
        #expect(Set(all.map(\.symbol.expiration)) == Set([(1, 12), (1, 19), (1, 26), (2, 2), (2, 9)].map { CivilDate(year: 2024, month: $0.0, day: $0.1) }))
        #expect(all.map(\.symbol.strike).min() == Price("80") && all.map(\.symbol.strike).max() == Price("120"))
        #expect(all.allSatisfy { $0.size == Quantity(100) && $0.underlyingSymbol == "SYN" })
        var narrow = AlpacaOptionContractsQuery(underlyingSymbols: ["SYN"])
        narrow.type = .call
        narrow.expirationDate = CivilDate(year: 2024, month: 1, day: 12)
        narrow.strikeFrom = Price("95")
        narrow.strikeTo = Price("105")
        let calls = try await broker.optionContracts(narrow)
        #expect(calls.map(\.symbol.description) == ["95000", "97500", "100000", "102500", "105000"].map {
            "SYN240112C" + String(repeating: "0", count: 8 - $0.count) + $0
        })
        // Each contract's close is the model's price now (Wednesday's close 100, eight closes).
        let atTheMoney = try OCCSymbol("SYN240112C00100000")
        #expect(calls[2].closePrice == Self.modelPrice(atTheMoney, spot: "100", closes: 8, at: (1, 10)))
    }

    @Test func ordersFillAtTheModelAndExpirySettlesIntoStock() async throws {
        let exchange = LocalExchange(series: [Self.series()], cash: Money(100_000), credentials: keys)
        let broker = client(exchange)
        await exchange.advance(bars: 8)  // Wednesday Jan 10
        let call100 = try OCCSymbol("SYN240112C00100000")
        let single = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(2), clientOrderID: "c100"),
                                             symbol: call100.description)
        #expect(single.status == .accepted && single.symbol == call100.description)
        await exchange.advance(bars: 1)  // Thursday: fills at the open, 100.4, volatility of eight closes
        let priceC100 = Self.modelPrice(call100, spot: "100.4", closes: 8, at: (1, 11))
        let filled = try #require(try await broker.order(clientOrderID: "c100"))
        #expect(filled.status == .filled && filled.filledAveragePrice == priceC100 && filled.filledQuantity == Quantity(2))

        // Thursday: an iron condor on Jan 19 for a net credit, a short put and a long call on Jan 12.
        let p95 = try OCCSymbol("SYN240119P00095000"), p975 = try OCCSymbol("SYN240119P00097500")
        let c1025 = try OCCSymbol("SYN240119C00102500"), c105 = try OCCSymbol("SYN240119C00105000")
        let condor = try await broker.submit(AlpacaMultiLegOrderBody(quantity: 1, legs: [
            (p95, 1, .buy, .buyToOpen), (p975, 1, .sell, .sellToOpen), (c1025, 1, .sell, .sellToOpen), (c105, 1, .buy, .buyToOpen),
        ], clientOrderID: "condor"))
        #expect(condor.status == .accepted && condor.legs.count == 4)
        let put105 = try OCCSymbol("SYN240112P00105000"), call110 = try OCCSymbol("SYN240112C00110000")
        _ = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .sell, quantity: Quantity(1), clientOrderID: "p105"),
                                    symbol: put105.description)
        _ = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(1), clientOrderID: "c110"),
                                    symbol: call110.description)
        await exchange.advance(bars: 1)  // Friday: all fill at the open, 101.2, volatility of nine closes
        func friday(_ contract: OCCSymbol) -> Price { Self.modelPrice(contract, spot: "101.2", closes: 9, at: (1, 12)) }
        let net = friday(p95) - friday(p975) - friday(c1025) + friday(c105)
        #expect(net < .zero)  // a credit
        let condorNow = try AlpacaMultiLegOrder.decode(await get(exchange, "/v2/orders/\(condor.id)"))
        #expect(condorNow.status == .filled && condorNow.filledAveragePrice == net)
        #expect(condorNow.legs.map(\.filledAveragePrice) == [p95, p975, c1025, c105].map(friday))
        let openOrders = try await broker.openOrders()
        #expect(openOrders.isEmpty)

        await exchange.advance(bars: 1)  // Monday Jan 15: Friday's contracts settle at Friday's close, 103
        // C100 long 2: exercised, 200 shares bought at 100. P105 short 1: assigned, 100 bought at 105. C110: expires.
        var positions = try await broker.positions()
        #expect(positions.first { $0.symbol == "SYN" }?.quantity == Quantity(300))
        #expect(Set(positions.map(\.symbol)) == Set(["SYN", p95.description, p975.description, c1025.description, c105.description]))
        #expect(positions.first { $0.symbol == p975.description }?.quantity == Quantity(-1))

        try await broker.exercise(c105)  // early: 100 shares bought at 105
        positions = try await broker.positions()
        #expect(positions.first { $0.symbol == "SYN" }?.quantity == Quantity(400))
        #expect(!positions.contains { $0.symbol == c105.description })

        let events = try await activities(exchange).map { "\($0["activity_type"]!) \($0["symbol"]!) \($0["qty"]!) \($0["net_amount"]!)" }
        #expect(events == ["OPEXC \(call100) -2 0", "OPTRD SYN 200 -20000", "OPASN \(put105) 1 0", "OPTRD SYN 100 -10500",
                           "OPEXP \(call110) -1 0", "OPEXC \(c105) -1 0", "OPTRD SYN 100 -10500"])

        // Cash to the unit: premiums at the model's prices, 100 shares a contract, stock at the strikes.
        let hundred = Quantity(100)
        let expectedCash = Money(100_000) - priceC100 * Quantity(200) - net * hundred + friday(put105) * hundred - friday(call110) * hundred
            - Money(20_000) - Money(10_500) - Money(10_500)
        let account = try await broker.account()
        #expect(account.cash == expectedCash)
        // Equity: cash, 400 shares at Monday's close, the options at the model's marks on it.
        func monday(_ contract: OCCSymbol) -> Price { Self.modelPrice(contract, spot: "104", closes: 11, at: (1, 15)) }
        let options = (monday(p95) - monday(p975) - monday(c1025)) * hundred
        #expect(account.equity == expectedCash + Price("104")! * Quantity(400) + options)
    }

    @Test func malformedAndUnlistedOrdersAreRefusedByName() async throws {
        let exchange = LocalExchange(series: [Self.series()], credentials: keys)
        await exchange.advance(bars: 8)
        func post(_ body: String) async -> (Int, String) {
            let response = await exchange.handle(HTTPRequestSpec(method: .post, url: "http://x/v2/orders",
                                                                 headers: headers,
                                                                 body: Data(body.utf8)))
            return (response.status, String(decoding: response.body, as: UTF8.self))
        }
        let cases: [(String, String)] = [
            (#"{"symbol":"SYN240112C00100000","qty":"1.5","side":"buy","type":"market","time_in_force":"day"}"#, "qty"),
            (#"{"symbol":"SYN240112C00150000","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#, "not listed"),
            (#"{"symbol":"SYN240105C00100000","qty":"1","side":"buy","type":"market","time_in_force":"day"}"#, "expired"),
            (#"{"symbol":"SYN240112C00100000","qty":"1","side":"buy","type":"stop","time_in_force":"day"}"#, "market or limit"),
            (#"{"symbol":"SYN240112C00100000","qty":"1","side":"buy","position_intent":"sell_to_open","type":"market","time_in_force":"day"}"#, "disagrees"),
            (#"{"order_class":"mleg","qty":"1","type":"market","time_in_force":"day","legs":[{"symbol":"SYN240112C00100000","ratio_qty":"1","side":"buy"}]}"#, "2 to 4 legs"),
            (#"{"order_class":"mleg","qty":"1","type":"limit","time_in_force":"day","limit_price":"abc","legs":[{"symbol":"SYN240112C00100000","ratio_qty":"1","side":"buy"},{"symbol":"SYN240112C00102500","ratio_qty":"1","side":"sell"}]}"#, "limit_price"),
            (#"{"order_class":"mleg","qty":"1","type":"market","time_in_force":"day","legs":[{"symbol":"SYN240112C00100000","ratio_qty":"0","side":"buy"},{"symbol":"SYN240112C00102500","ratio_qty":"1","side":"sell"}]}"#, "ratio_qty"),
            (#"{"order_class":"mleg","qty":"1","type":"market","time_in_force":"day","legs":[{"symbol":"SYN240112C00100000","ratio_qty":"1","side":"buy"},{"symbol":"SYN240112X00102500","ratio_qty":"1","side":"sell"}]}"#, "legs[1].symbol"),
        ]
        for (body, expected) in cases {
            let (status, message) = await post(body)
            #expect(status == 422 && message.contains(expected), "\(body): \(status) \(message)")
        }
        // Nothing was booked by the refusals.
        #expect(await get(exchange, "/v2/orders?status=all") == Data("[]".utf8))
    }

    @Test func aLimitNotMetKeepsWorkingAndCancels() async throws {
        let exchange = LocalExchange(series: [Self.series()], credentials: keys)
        let broker = client(exchange)
        await exchange.advance(bars: 8)
        let call = try OCCSymbol("SYN240119C00100000")
        let model = Self.modelPrice(call, spot: "100.4", closes: 8, at: (1, 11))
        let order = try await broker.submit(OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity(1), type: .limit,
                                                         limitPrice: model - Price("0.01")!, clientOrderID: "low"), symbol: call.description)
        await exchange.advance(bars: 1)
        #expect(try await broker.order(clientOrderID: "low")?.status == .accepted)  // a cent below the model's price
        try await broker.cancel(orderID: order.id)
        #expect(try await broker.order(clientOrderID: "low")?.status == .canceled)
        #expect(try await broker.positions().isEmpty)
    }
}
