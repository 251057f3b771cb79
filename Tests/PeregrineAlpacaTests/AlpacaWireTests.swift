import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineTestSupport
import Testing

/// Request bodies are compared with what the official alpaca-py SDK sends for the same order, and
/// responses are read from documents alpaca-py accepts, checked against the values alpaca-py parsed
/// (Tests/Fixtures/alpaca_wire.json, made by scripts/fixtures/make_alpaca_fixtures.py).
@Suite struct AlpacaWireTests {
    let fixture: [String: Any] = {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("alpaca_wire.json"))!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    func document(_ key: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: fixture[key]!)
    }

    func expected(_ key: String) -> [String: Any] { fixture[key] as! [String: Any] }

    /// JSON values are equal when strings and numbers denote the same decimal (alpaca-py sends
    /// floats, Peregrine sends exact strings; Alpaca accepts both).
    func sameValue(_ ours: Any, _ theirs: Any) -> Bool {
        switch (ours, theirs) {
        case let (a as [String: Any], b as [String: Any]):
            return Set(a.keys) == Set(b.keys) && a.keys.allSatisfy { sameValue(a[$0]!, b[$0]!) }
        case let (a as String, b as NSNumber):
            guard let x = Decimal(string: a) else { return false }
            return x == Decimal(string: "\(b)")
        case let (a as String, b as String): return a == b
        default: return false
        }
    }

    func request(from inputs: [String: String]) -> OrderRequest {
        func price(_ key: String) -> Price? { inputs[key].flatMap { Price($0) } }
        var trail: TrailingOffset?
        if let text = inputs["trail_percent"] { trail = .percent(Rate(percent: text)!) }
        if let value = price("trail_price") { trail = .price(value) }
        return OrderRequest(instrument: InstrumentID(0), side: OrderSide(rawValue: inputs["side"]!)!,
                            quantity: Quantity(inputs["qty"]!)!, type: OrderType(rawValue: inputs["type"]!)!,
                            timeInForce: TimeInForce(rawValue: inputs["time_in_force"]!)!, limitPrice: price("limit_price"),
                            stopPrice: price("stop_price"), trail: trail,
                            orderClass: OrderClass(rawValue: inputs["order_class"] ?? "simple")!, takeProfit: price("take_profit"),
                            stopLoss: price("stop_loss"), stopLossLimit: price("stop_loss_limit"),
                            clientOrderID: inputs["client_order_id"])
    }

    @Test func orderBodiesMatchTheOfficialSDKForEveryOrderTypeAndClass() throws {
        let cases = fixture["requests"] as! [[String: Any]]
        #expect(cases.count == 10)
        for item in cases {
            let inputs = item["inputs"] as! [String: String]
            let body = AlpacaOrderBody(request(from: inputs), symbol: inputs["symbol"]!)
            let ours = try JSONSerialization.jsonObject(with: body.json()) as! [String: Any]
            #expect(sameValue(ours, item["alpaca_py"]!), "\(item["name"]!): ours \(ours) vs alpaca-py \(item["alpaca_py"]!)")
        }
    }

    @Test func orderBodyKeepsExactDecimalsAsStrings() {
        let request = OrderRequest(instrument: InstrumentID(0), side: .buy, quantity: Quantity("0.000000001")!, type: .limit,
                                   timeInForce: .gtc, limitPrice: Price("123456.123456789")!, clientOrderID: "x")
        let text = String(decoding: AlpacaOrderBody(request, symbol: "BTC/USD").json(), as: UTF8.self)
        #expect(text == #"{"client_order_id":"x","limit_price":"123456.123456789","qty":"0.000000001","side":"buy","symbol":"BTC/USD","time_in_force":"gtc","type":"limit"}"#)
    }

    @Test func bracketOrderDecodesWithLegsLikeAlpacaPy() throws {
        let order = try AlpacaOrder.decode(document("order"))
        let reference = expected("order_alpaca_py")
        #expect(order.id == reference["id"] as? String)
        #expect(order.clientOrderID == "pg-8")
        #expect(order.quantity == Quantity(reference["qty"] as! String)!)
        #expect(order.filledQuantity == Quantity(reference["filled_qty"] as! String)!)
        #expect(order.filledAveragePrice == Price(reference["filled_avg_price"] as! String)!)
        #expect(order.limitPrice == Price(reference["limit_price"] as! String)!)
        #expect(order.status.rawValue == reference["status"] as? String)
        #expect(order.orderClass.rawValue == reference["order_class"] as? String)
        #expect(order.type.rawValue == reference["type"] as? String)
        #expect(order.side.rawValue == reference["side"] as? String)
        #expect(order.timeInForce.rawValue == reference["time_in_force"] as? String)
        let micros = (order.submittedAt!.nanoseconds + 500) / 1_000
        #expect(abs(micros - (reference["submitted_at_unix_us"] as! NSNumber).int64Value) <= 1)
        // Nanosecond fractions survive exactly.
        #expect(order.filledAt!.nanoseconds % 1_000_000_000 == 123_456_789)
        let legs = reference["legs"] as! [[String: Any]]
        #expect(order.legs.count == legs.count)
        for (leg, ref) in zip(order.legs, legs) {
            #expect(leg.type.rawValue == ref["type"] as? String)
            #expect(leg.side.rawValue == ref["side"] as? String)
            #expect(leg.limitPrice == (ref["limit_price"] as? String).flatMap { Price($0) })
            #expect(leg.stopPrice == (ref["stop_price"] as? String).flatMap { Price($0) })
        }
        // alpaca-py reports the stop leg as held; Peregrine keeps it as new plus the held flag.
        #expect(legs[1]["status"] as? String == "held" && order.legs[1].held && order.legs[1].status == .new)
    }

    @Test func accountPositionAndClockDecodeExactly() throws {
        let account = try AlpacaAccount.decode(document("account"))
        let accountRef = expected("account_alpaca_py")
        #expect(accountRef["cash"] as? String == "-23140.2" && account.cash == -Money("23140.2")!)
        #expect(account.equity == Money(accountRef["equity"] as! String))
        #expect(account.buyingPower == Money(accountRef["buying_power"] as! String))
        #expect(account.portfolioValue == Money(accountRef["portfolio_value"] as! String))

        let position = try AlpacaPosition.decode(document("position"))
        let positionRef = expected("position_alpaca_py")
        #expect(position.quantity == Quantity(positionRef["qty"] as! String))
        #expect(position.averageEntryPrice == Price(positionRef["avg_entry_price"] as! String))
        #expect(position.unrealizedPnL == Money(positionRef["unrealized_pl"] as! String))
        // Property: market value = quantity x current price.
        #expect(position.marketValue == position.currentPrice * position.quantity)

        let clock = try AlpacaClock.decode(document("clock"))
        let clockRef = expected("clock_alpaca_py")
        #expect(clock.isOpen == clockRef["is_open"] as? Bool)
        #expect(clock.nextOpen.nanoseconds == Int64((clockRef["next_open_unix"] as! Double) * 1e9))
        #expect(clock.nextClose.nanoseconds == Int64((clockRef["next_close_unix"] as! Double) * 1e9))
        #expect(abs(Double(clock.timestamp.nanoseconds) / 1e9 - (clockRef["timestamp_unix"] as! Double)) < 1e-6)
    }

    @Test func barsPageDecodesExactPricesAndTheNextPageToken() throws {
        let page = try AlpacaBarsPage.decode(document("bars"))
        let reference = expected("bars")["next_page_token"] as? String
        #expect(page.nextPageToken == reference)
        let bars = page.bars["AAPL"]!
        let refs = fixture["bars_alpaca_py"] as! [[String: Any]]
        #expect(bars.count == refs.count)
        for (bar, ref) in zip(bars, refs) {
            #expect(bar.timestamp.nanoseconds == Int64((ref["unix"] as! Double) * 1e9))
            #expect(bar.open.doubleValue == ref["open"] as! Double)
            #expect(bar.close.doubleValue == ref["close"] as! Double)
            #expect(bar.volume.doubleValue == ref["volume"] as! Double)
        }
        #expect(bars[0].open == Price("150.01")! && bars[1].volume == Quantity("98211.5")!)
    }

    @Test func tradeUpdateFillDecodes() throws {
        let update = try AlpacaTradeUpdate.decodeMessage(document("trade_update"))
        let reference = expected("trade_update_alpaca_py")
        #expect(update.event.rawValue == reference["event"] as? String)
        #expect(update.price?.doubleValue == reference["price"] as? Double)
        #expect(update.quantity?.doubleValue == reference["qty"] as? Double)
        #expect(update.order.status.rawValue == reference["order_status"] as? String)
        #expect(update.positionQuantity == Quantity(10))
    }

    @Test func malformedDocumentsNameTheFieldAndTheText() throws {
        var order = fixture["order"] as! [String: Any]
        order["filled_avg_price"] = "15O.21"
        let data = try JSONSerialization.data(withJSONObject: order)
        #expect(throws: AlpacaWireError(document: "order 61e69015-8549-4bfd-b9c3-01e75843f47d", field: "filled_avg_price",
                                         problem: "'15O.21' is not a decimal price")) { try AlpacaOrder.decode(data) }
        order["filled_avg_price"] = "150.2133"
        order["status"] = "teleported"
        let unknownStatus = try JSONSerialization.data(withJSONObject: order)
        #expect(throws: AlpacaWireError(document: "order 61e69015-8549-4bfd-b9c3-01e75843f47d", field: "status",
                                         problem: "unknown value 'teleported'")) { try AlpacaOrder.decode(unknownStatus) }
        var clock = fixture["clock"] as! [String: Any]
        clock["next_open"] = "2026-03-17 09:30:00"
        let naive = try JSONSerialization.data(withJSONObject: clock)
        #expect(throws: AlpacaWireError(document: "clock", field: "next_open", problem: "'2026-03-17 09:30:00' has no UTC offset")) {
            try AlpacaClock.decode(naive)
        }
        let badBar = Data(#"{"bars":{"AAPL":[{"t":"2026-03-16T13:30:00Z","o":150,"h":149,"l":148,"c":150.5,"v":1}]}}"#.utf8)
        #expect(throws: AlpacaWireError.self) { try AlpacaBarsPage.decode(badBar) }
    }
}
