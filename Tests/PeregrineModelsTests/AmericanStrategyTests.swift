import Foundation
import PeregrineModels
import Testing

/// Strategies of American legs against QuantLib's Bjerksund-Stensland (1993) engine
/// (Tests/Fixtures/options_quantlib.json, "bjerksund_stensland": 45 markets, each with calls and puts
/// struck at 100 for 30 days, half a year and two years): a straddle and a calendar priced with
/// `LegPricing.bjerksundStensland(.flatBoundary1993)` cost the sum of QuantLib's leg prices and carry the
/// sum of its leg deltas; American legs are never worth less than European ones.
@Suite struct AmericanStrategyTests {
    struct Leg {
        var type: OptionType, expiry: Double, price: Double, delta: Double, vega: Double
    }

    /// The fixture's rows grouped by market.
    static let markets: [(market: OptionMarket, legs: [Leg])] = {
        var groups: [[Double]: [Leg]] = [:]
        for row in OptionPricingTests.fixture["bjerksund_stensland"] as! [[String: Any]] {
            let key = ["spot", "vol", "rate", "dividend"].map { row[$0] as! Double }
            groups[key, default: []].append(Leg(type: OptionType(rawValue: row["type"] as! String)!, expiry: row["expiry"] as! Double,
                                                price: row["price_1993"] as! Double, delta: row["delta_1993"] as! Double,
                                                vega: row["vega_1993"] as! Double))
        }
        return groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key in
            (OptionMarket(spot: key[0], volatility: key[1], rate: key[2], dividend: key[3]), groups[key]!)
        }
    }()

    static let bjs1993 = LegPricing.bjerksundStensland(.flatBoundary1993)

    @Test func straddlesAndCalendarsAreTheSumOfQuantLibsLegs() throws {
        #expect(Self.markets.count == 45)
        var checked = 0
        for (market, legs) in Self.markets {
            let expiries = Set(legs.map(\.expiry)).sorted()
            for expiry in expiries {
                guard let call = legs.first(where: { $0.type == .call && $0.expiry == expiry }),
                      let put = legs.first(where: { $0.type == .put && $0.expiry == expiry }) else { continue }
                let straddle = try OptionStrategy(legs: [.call(1, strike: 100, expiry: expiry), .put(1, strike: 100, expiry: expiry)], market: market, pricing: Self.bjs1993)
                #expect(abs(straddle.cost - (call.price + put.price)) < 1e-10 * max(1, call.price + put.price), "\(market) \(expiry)")
                let greeks = straddle.greeks
                #expect(abs(greeks.delta - (call.delta + put.delta)) < 2e-5, "\(market) \(expiry): delta \(greeks.delta)")
                checked += 1
            }
            // A calendar of calls: short the nearest, long the farthest.
            let calls = legs.filter { $0.type == .call }.sorted { $0.expiry < $1.expiry }
            guard let near = calls.first, let far = calls.last, near.expiry < far.expiry else { continue }
            let calendar = try OptionStrategy(legs: [.call(-1, strike: 100, expiry: near.expiry), .call(1, strike: 100, expiry: far.expiry)],
                                              market: market, pricing: Self.bjs1993)
            #expect(abs(calendar.cost - (far.price - near.price)) < 1e-10 * max(1, far.price), "\(market)")
            #expect(abs(calendar.greeks.vega - (far.vega - near.vega)) < 1e-4 * max(1, abs(far.vega)), "\(market)")
            checked += 1
        }
        #expect(checked >= 150)
    }

    /// Early exercise is a right: an American long straddle costs at least the European one, by every
    /// model, and an American put on a market with a positive rate is worth more than its European twin
    /// when deep in the money.
    @Test func americanLegsAreWorthAtLeastEuropeanOnes() throws {
        let market = OptionMarket(spot: 70, volatility: 0.25, rate: 0.06, dividend: 0.01)
        let legs: [OptionLeg] = [.call(1, strike: 100, expiry: 1), .put(1, strike: 100, expiry: 1)]
        let european = try OptionStrategy(legs: legs, market: market).cost
        for pricing in [LegPricing.leisenReimer(steps: 401), .baroneAdesiWhaley, .bjerksundStensland(.twoStep2002), Self.bjs1993] {
            let american = try OptionStrategy(legs: legs, market: market, pricing: pricing).cost
            #expect(american > european + 0.5, "\(pricing): \(american) vs \(european)")   // the put is 30 in the money
        }
        // The Leisen-Reimer tree and the 2002 approximation agree on it within a cent.
        let tree = try OptionStrategy(legs: legs, market: market, pricing: .leisenReimer(steps: 2001)).cost
        let bjs = try OptionStrategy(legs: legs, market: market, pricing: .bjerksundStensland(.twoStep2002)).cost
        #expect(abs(tree - bjs) < 0.01, "\(tree) vs \(bjs)")
    }
}
