import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineModels
import PeregrineTestSupport
import Testing

/// Multi-leg (mleg) order bodies against the fields alpaca-py's LimitOrderRequest and
/// MarketOrderRequest build for the same orders (Tests/Fixtures/alpaca_options_wire.json): the same
/// keys and values, numbers compared as decimals (alpaca-py sends floats, Peregrine decimal strings).
@Suite struct AlpacaMultiLegOrderTests {
    let orders: [[String: Any]] = {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("alpaca_options_wire.json"))!
        let fixture = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return fixture["mleg_orders"] as! [[String: Any]]
    }()

    func expected(_ name: String) -> [String: Any] { orders.first { $0["name"] as! String == name }!["alpaca_py"] as! [String: Any] }

    /// Both documents with every number (or numeric string) as a Decimal, so 2.0 and "2" compare equal.
    static func normalized(_ value: Any) -> AnyHashable {
        switch value {
        case let dictionary as [String: Any]: return dictionary.mapValues(normalized) as [String: AnyHashable]
        case let array as [Any]: return array.map(normalized) as [AnyHashable]
        case let number as NSNumber: return Decimal(string: number.stringValue)!
        case let text as String:
            if !text.isEmpty, text.allSatisfy({ "-0123456789.".contains($0) }), let number = Decimal(string: text) { return number }
            return text
        default: return "\(value)"
        }
    }

    static func document(_ body: AlpacaMultiLegOrderBody) throws -> Any { try JSONSerialization.jsonObject(with: body.json()) }

    @Test func ironCondorAtANetCreditEqualsAlpacaPy() throws {
        func contract(_ text: String) throws -> OCCSymbol { try OCCSymbol(text) }
        let body = try AlpacaMultiLegOrderBody(
            quantity: 2,
            legs: [(try contract("AAPL240119P00170000"), 1, .buy, .buyToOpen), (try contract("AAPL240119P00180000"), 1, .sell, .sellToOpen),
                   (try contract("AAPL240119C00200000"), 1, .sell, .sellToOpen), (try contract("AAPL240119C00210000"), 1, .buy, .buyToOpen)],
            limitPrice: Price.zero - Price("1.96")!, clientOrderID: "pg-20")
        #expect(Self.normalized(try Self.document(body)) == Self.normalized(expected("iron condor limit")))
    }

    /// The butterfly built from the strategy template: contracts named from the root, the
    /// expiration date and the strikes, the middle leg sold twice.
    @Test func butterflyFromTheStrategyEqualsAlpacaPy() throws {
        let expiry = 4.0 / 365
        let legs = try OptionStrategyTemplate.butterfly.legs(strikes: [185, 190, 195], expiry: expiry)
        let strategy = try OptionStrategy(legs: legs, market: OptionMarket(spot: 190, volatility: 0.2))
        let body = try AlpacaMultiLegOrderBody.opening(strategy, root: "AAPL", expirations: [expiry: CivilDate(year: 2024, month: 1, day: 19)],
                                                       quantity: 1, clientOrderID: "pg-21")
        #expect(Self.normalized(try Self.document(body)) == Self.normalized(expected("butterfly market")))
    }

    @Test func impossibleOrdersAreRefused() throws {
        let a = try OCCSymbol("AAPL240119C00190000"), b = try OCCSymbol("AAPL240119C00195000")
        #expect(throws: AlpacaWireError.self) { try AlpacaMultiLegOrderBody(quantity: 1, legs: [(a, 1, .buy, .buyToOpen)], clientOrderID: "x") }
        #expect(throws: AlpacaWireError.self) {
            try AlpacaMultiLegOrderBody(quantity: 1, legs: [(a, 1, .buy, .buyToOpen), (a, 1, .sell, .sellToOpen)], clientOrderID: "x")
        }
        #expect(throws: AlpacaWireError.self) {
            try AlpacaMultiLegOrderBody(quantity: 0, legs: [(a, 1, .buy, .buyToOpen), (b, 1, .sell, .sellToOpen)], clientOrderID: "x")
        }
        let covered = try OptionStrategy(legs: OptionStrategyTemplate.coveredCall.legs(strikes: [195], expiry: 0.01),
                                         market: OptionMarket(spot: 190, volatility: 0.2))
        do {
            _ = try AlpacaMultiLegOrderBody.opening(covered, root: "AAPL", expirations: [0.01: CivilDate(year: 2024, month: 1, day: 19)],
                                                    quantity: 1, clientOrderID: "x")
            Issue.record("shares were accepted as an mleg leg")
        } catch {
            #expect(error.description.contains("shares cannot be a leg"))
        }
    }
}
