import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineModels
import PeregrineTestSupport
import Testing

/// Reading mleg option orders and option activities back (`GET /v2/orders/{id}`, `GET /v2/orders`) against what alpaca-py's
/// Order model parses out of the same documents (Tests/Fixtures/alpaca_mleg_orders.json, made by
/// scripts/fixtures/make_alpaca_mleg_order_fixtures.py): the order's class, status, quantities and net
/// price, and each leg's contract, side, ratio, position intent, quantities and price; an activity's
/// type, date, contract, quantity, price and amount as NonTradeActivity reads them.
@Suite struct AlpacaMultiLegOrderReadTests {
    let fixture: [String: Any] = {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("alpaca_mleg_orders.json"))!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    func data(_ value: Any) throws -> Data { try JSONSerialization.data(withJSONObject: value) }

    /// One order against alpaca-py's reading of it, field by field (decimals compared exactly).
    func expectSame(_ order: AlpacaMultiLegOrder, _ reference: [String: Any]) {
        #expect(order.id == reference["id"] as? String)
        #expect(order.clientOrderID == reference["client_order_id"] as? String)
        #expect(reference["order_class"] as? String == "mleg" && reference["side"] is NSNull)
        #expect(order.status.rawValue == reference["status"] as? String)
        #expect(order.type.rawValue == reference["type"] as? String)
        #expect(order.quantity == Quantity(reference["qty"] as! String))
        #expect(order.filledQuantity == Quantity(reference["filled_qty"] as! String))
        #expect(order.filledAveragePrice == (reference["filled_avg_price"] as? String).flatMap(Price.init))
        #expect(order.limitPrice == (reference["limit_price"] as? String).flatMap(Price.init))
        let legs = reference["legs"] as! [[String: Any]]
        #expect(order.legs.count == legs.count)
        for (leg, expected) in zip(order.legs, legs) {
            #expect(leg.contract.description == expected["symbol"] as? String)
            #expect(leg.side.rawValue == expected["side"] as? String)
            #expect(leg.ratio == Quantity(expected["ratio_qty"] as! String))
            #expect(leg.positionIntent == expected["position_intent"] as? String)
            #expect(leg.quantity == Quantity(expected["qty"] as! String))
            #expect(leg.filledQuantity == Quantity(expected["filled_qty"] as! String))
            #expect(leg.filledAveragePrice == (expected["filled_avg_price"] as? String).flatMap(Price.init))
            #expect(expected["asset_class"] as? String == "us_option")
        }
    }

    @Test func aFilledIronCondorReadsAsAlpacaPyReadsIt() throws {
        let reference = (fixture["alpaca_py"] as! [String: Any])["order"] as! [String: Any]
        let order = try AlpacaMultiLegOrder.decode(data(fixture["order"]!))
        expectSame(order, reference)
        // The net fill price is the legs' by hand: 0.42 - 1.05 - 1.12 + 0.38 = -1.37 (a credit).
        var net = Price.zero
        for leg in order.legs {
            let price = leg.filledAveragePrice ?? .zero
            net = leg.side == .buy ? net + price : net - price
        }
        #expect(net == Price("-1.37")! && order.filledAveragePrice == net)
        #expect(order.filledAt == Timestamp(nanoseconds: 1_705_069_800_123_456_000))
        // The single-order reader refuses it by name rather than guessing a side.
        #expect(AlpacaOrder.isMultiLeg(try data(fixture["order"]!)))
        #expect(throws: (any Error).self) { try AlpacaOrder.decode(try data(fixture["order"]!)) }
    }

    @Test func aListWithMlegOrdersSplitsBetweenTheTwoReaders() throws {
        let references = (fixture["alpaca_py"] as! [String: Any])["list"] as! [[String: Any]]
        let list = try data(fixture["list"]!)
        let multiLeg = try AlpacaMultiLegOrder.decodeList(list)
        #expect(multiLeg.count == 2)
        for (order, reference) in zip(multiLeg, references.prefix(2)) { expectSame(order, reference) }
        // The butterfly's middle leg trades twice the order's quantity: ratio 2 of 3 is 6 contracts.
        #expect(multiLeg[1].legs[1].ratio == Quantity(2) && multiLeg[1].legs[1].quantity == Quantity(6))
        let stock = try AlpacaOrder.decodeList(list)
        #expect(stock.map(\.clientOrderID) == [references[2]["client_order_id"] as! String])
        #expect(stock[0].side.rawValue == references[2]["side"] as? String && stock[0].symbol == "AAPL")
    }

    /// The option activities of an account's list (a dividend beside them is left out), each as
    /// alpaca-py reads it (alpaca-py's floats compared as decimals).
    @Test func optionActivitiesReadAsAlpacaPyReadsThem() throws {
        let references = ((fixture["alpaca_py"] as! [String: Any])["activities"] as! [[String: Any]]).filter { $0["activity_type"] as? String != "DIV" }
        let activities = try AlpacaOptionActivity.decodeList(data(fixture["activities"]!))
        #expect(activities.map(\.type) == ["OPASN", "OPTRD", "OPEXP"] && references.count == 3)
        for (activity, reference) in zip(activities, references) {
            #expect(activity.id == reference["id"] as? String && activity.type == reference["activity_type"] as? String)
            #expect(activity.date.description == reference["date"] as? String && activity.symbol == reference["symbol"] as? String)
            #expect(activity.quantity == Quantity(reference["qty"] as! String))
            #expect(activity.price == (reference["price"] as? String).flatMap(Price.init))
            #expect(activity.netAmount == Money(reference["net_amount"] as! String))
        }
        // The stock trade of the assignment: 200 shares at the strike, 36,000 paid.
        #expect(activities[1].price.map { $0 * activities[1].quantity } == Money(36_000) && activities[1].netAmount == Money(-36_000))
        // A malformed date is refused by field.
        var bad = (fixture["activities"] as! [[String: Any]])[0]
        bad["date"] = "19/01/2024"
        #expect { try AlpacaOptionActivity.decodeList(try data([bad])) } throws: { "\($0)".contains("date") }
    }
}
