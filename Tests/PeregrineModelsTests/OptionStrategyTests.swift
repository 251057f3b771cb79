import Foundation
import PeregrineModels
import Testing

/// Option strategies: payoffs, break-evens and extremes against hand formulas written from the legs'
/// QuantLib prices (Tests/Fixtures/options_quantlib.json, "strategy_legs": spot 100, vol 0.25, rate
/// 0.03, yield 0.01, 30 and 60 days), Greeks equal to the sum of the legs' QuantLib Greeks, and the
/// probability of profit against a numeric integral of the lognormal density.
@Suite struct OptionStrategyTests {
    static let market = OptionMarket(spot: 100, volatility: 0.25, rate: 0.03, dividend: 0.01)
    static let near = 30.0 / 365, far = 60.0 / 365

    /// A leg's QuantLib figures from the fixture.
    static func quantLib(_ type: OptionType, _ strike: Double, days: Int = 30) -> [String: Double] {
        let rows = OptionPricingTests.fixture["strategy_legs"] as! [[String: Any]]
        let row = rows.first { $0["type"] as! String == type.rawValue && $0["strike"] as! Double == strike
            && abs(($0["expiry"] as! Double) - Double(days) / 365) < 1e-12 }!
        return row.compactMapValues { $0 as? Double }
    }

    static func call(_ k: Double, days: Int = 30) -> Double { quantLib(.call, k, days: days)["price"]! }
    static func put(_ k: Double, days: Int = 30) -> Double { quantLib(.put, k, days: days)["price"]! }

    static func strategy(_ template: OptionStrategyTemplate, _ strikes: [Double], short: Bool = false, type: OptionType = .call,
                         farExpiry: Double? = nil, market: OptionMarket = market) throws -> OptionStrategy {
        try OptionStrategy(legs: template.legs(strikes: strikes, expiry: near, farExpiry: farExpiry, type: type, short: short), market: market)
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-8) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    static func finite(_ extreme: OptionStrategy.Extreme) -> (amount: Double, spot: Double)? {
        if case .finite(let amount, let spot) = extreme { (amount, spot) } else { nil }
    }

    @Test func ironCondorByHand() throws {
        let condor = try Self.strategy(.ironCondor, [85, 95, 105, 115])
        let credit = Self.put(95) + Self.call(105) - Self.put(85) - Self.call(115)
        #expect(Self.close(condor.cost, -credit))
        #expect(Self.close(condor.profit(spot: 100, time: Self.near), credit))
        #expect(Self.close(condor.profit(spot: 90, time: Self.near), credit - 5))
        #expect(Self.close(condor.profit(spot: 50, time: Self.near), credit - 10))
        let breakEvens = condor.breakEvens
        #expect(breakEvens.count == 2 && Self.close(breakEvens[0], 95 - credit, 1e-10) && Self.close(breakEvens[1], 105 + credit, 1e-10), "\(breakEvens)")
        #expect(Self.close(Self.finite(condor.maxProfit)!.amount, credit))
        #expect(Self.close(Self.finite(condor.maxLoss)!.amount, 10 - credit))
    }

    @Test func singleExpiryStrategiesByHand() throws {
        // Covered call: shares plus a short call at 105; profit min(S, 105) - (100 - C).
        let covered = try Self.strategy(.coveredCall, [105])
        let basis = 100 - Self.call(105)
        #expect(Self.close(covered.breakEvens[0], basis, 1e-10) && covered.breakEvens.count == 1)
        #expect(Self.close(Self.finite(covered.maxProfit)!.amount, 105 - basis))
        #expect(Self.close(Self.finite(covered.maxLoss)!.amount, basis) && Self.finite(covered.maxLoss)!.spot == 0)

        // Straddle: break-evens K -+ (C + P); the loss is largest at the strike, the profit unbounded.
        let straddle = try Self.strategy(.straddle, [100])
        let premium = Self.call(100) + Self.put(100)
        #expect(Self.close(straddle.breakEvens[0], 100 - premium, 1e-10) && Self.close(straddle.breakEvens[1], 100 + premium, 1e-10))
        #expect(straddle.maxProfit == .unbounded)
        #expect(Self.close(Self.finite(straddle.maxLoss)!.amount, premium) && Self.close(Self.finite(straddle.maxLoss)!.spot, 100))
        let shortStraddle = try Self.strategy(.straddle, [100], short: true)
        #expect(shortStraddle.maxLoss == .unbounded && Self.close(Self.finite(shortStraddle.maxProfit)!.amount, premium))

        // Bull call spread 95/105: break-even 95 + debit, max profit 10 - debit, max loss the debit.
        let bull = try Self.strategy(.bullCallSpread, [95, 105])
        let debit = Self.call(95) - Self.call(105)
        #expect(Self.close(bull.breakEvens[0], 95 + debit, 1e-10) && bull.breakEvens.count == 1)
        #expect(Self.close(Self.finite(bull.maxProfit)!.amount, 10 - debit) && Self.close(Self.finite(bull.maxLoss)!.amount, debit))

        // Bear put spread 95/105: break-even 105 - debit.
        let bear = try Self.strategy(.bearPutSpread, [95, 105])
        let bearDebit = Self.put(105) - Self.put(95)
        #expect(Self.close(bear.breakEvens[0], 105 - bearDebit, 1e-10) && Self.close(Self.finite(bear.maxProfit)!.amount, 10 - bearDebit))

        // Cash-secured put: keeps the premium above K; loses K - P if the stock goes to zero.
        let csp = try Self.strategy(.cashSecuredPut, [95])
        #expect(Self.close(csp.breakEvens[0], 95 - Self.put(95), 1e-10))
        #expect(Self.close(Self.finite(csp.maxProfit)!.amount, Self.put(95)) && Self.close(Self.finite(csp.maxLoss)!.amount, 95 - Self.put(95)))

        // Collar 90/110 on shares: profit clamp(S, 90, 110) - (100 + P90 - C110).
        let collar = try Self.strategy(.collar, [90, 110])
        let collarBasis = 100 + Self.put(90) - Self.call(110)
        #expect(Self.close(collar.breakEvens[0], collarBasis, 1e-10))
        #expect(Self.close(Self.finite(collar.maxProfit)!.amount, 110 - collarBasis) && Self.close(Self.finite(collar.maxLoss)!.amount, collarBasis - 90))

        // Butterfly 95/100/105: break-evens 95 + d and 105 - d, max profit 5 - d at 100.
        let fly = try Self.strategy(.butterfly, [95, 100, 105])
        let flyDebit = Self.call(95) - 2 * Self.call(100) + Self.call(105)
        #expect(Self.close(fly.breakEvens[0], 95 + flyDebit, 1e-10) && Self.close(fly.breakEvens[1], 105 - flyDebit, 1e-10))
        #expect(Self.close(Self.finite(fly.maxProfit)!.amount, 5 - flyDebit) && Self.close(Self.finite(fly.maxProfit)!.spot, 100))

        // Iron butterfly 90/100/110: a credit, break-evens 100 -+ credit.
        let ironFly = try Self.strategy(.ironButterfly, [90, 100, 110])
        let ironCredit = Self.put(100) + Self.call(100) - Self.put(90) - Self.call(110)
        #expect(Self.close(ironFly.breakEvens[0], 100 - ironCredit, 1e-10) && Self.close(ironFly.breakEvens[1], 100 + ironCredit, 1e-10))

        // Strangle 95/105 and protective put at 95.
        let strangle = try Self.strategy(.strangle, [95, 105])
        let stranglePremium = Self.put(95) + Self.call(105)
        #expect(Self.close(strangle.breakEvens[0], 95 - stranglePremium, 1e-10) && Self.close(strangle.breakEvens[1], 105 + stranglePremium, 1e-10))
        let protective = try Self.strategy(.protectivePut, [95])
        #expect(Self.close(Self.finite(protective.maxLoss)!.amount, 100 + Self.put(95) - 95) && protective.maxProfit == .unbounded)
    }

    /// The calendar's far leg is still alive at the horizon: its profit there is the model value of
    /// the 30-day-left call less the short call's intrinsic value and the debit.
    @Test func calendarAtTheNearExpiry() throws {
        let calendar = try Self.strategy(.calendar, [100], farExpiry: Self.far)
        let debit = Self.call(100, days: 60) - Self.call(100)
        #expect(Self.close(calendar.cost, debit))
        let remaining = BlackScholesMerton.value(.call, Self.market.inputs(strike: 100, expiry: Self.far - Self.near, spot: 103)).price
        #expect(Self.close(calendar.profit(spot: 103, time: Self.near), remaining - 3 - debit))
        for point in calendar.breakEvens { #expect(abs(calendar.profit(spot: point, time: Self.near)) < 1e-9) }
        #expect(calendar.breakEvens.count == 2)
        let best = Self.finite(calendar.maxProfit)!
        #expect(abs(best.spot - 100) < 1 && best.amount > 0)
        // With a yield the far call's upside falls short of the short call's: unbounded, slowly.
        #expect(calendar.maxLoss == .unbounded)
        let noYield = try Self.strategy(.calendar, [100], farExpiry: Self.far, market: OptionMarket(spot: 100, volatility: 0.25, rate: 0.03))
        #expect(Self.finite(noYield.maxLoss)!.amount <= noYield.cost + 1e-9)
    }

    @Test func greeksAreTheSumOfTheLegsQuantLibGreeks() throws {
        let cases: [(OptionStrategy, [(OptionType?, Double, Double, Int)])] = [
            (try Self.strategy(.ironCondor, [85, 95, 105, 115]), [(.put, 85, 1, 30), (.put, 95, -1, 30), (.call, 105, -1, 30), (.call, 115, 1, 30)]),
            (try Self.strategy(.collar, [90, 110]), [(nil, 0, 1, 0), (.put, 90, 1, 30), (.call, 110, -1, 30)]),
            (try Self.strategy(.butterfly, [90, 100, 110], type: .put), [(.put, 90, 1, 30), (.put, 100, -2, 30), (.put, 110, 1, 30)]),
            (try Self.strategy(.diagonal, [95, 105], farExpiry: Self.far), [(.call, 105, -1, 30), (.call, 95, 1, 60)]),
        ]
        for (strategy, legs) in cases {
            var expected: [String: Double] = [:]
            for (type, strike, quantity, days) in legs {
                guard let type else {
                    expected["delta", default: 0] += quantity
                    expected["price", default: 0] += quantity * 100
                    continue
                }
                for (name, value) in Self.quantLib(type, strike, days: days) where name != "strike" && name != "expiry" && name != "spot" {
                    expected[name, default: 0] += quantity * value
                }
            }
            let greeks = strategy.greeks
            for (name, ours) in [("price", greeks.price), ("delta", greeks.delta), ("gamma", greeks.gamma), ("vega", greeks.vega),
                                 ("theta", greeks.theta), ("theta_per_day", greeks.thetaPerDay), ("rho", greeks.rho),
                                 ("dividend_rho", greeks.dividendRho)] {
                #expect(Self.close(ours, expected[name] ?? 0), "\(strategy.legs) \(name): \(ours) vs \(expected[name] ?? 0)")
            }
        }
    }

    /// P(profit) against the integral of the lognormal density over the spots where the profit is
    /// positive, by the midpoint rule on 400,000 steps of log spot (no break-evens used).
    @Test func probabilityOfProfitEqualsTheLognormalIntegral() throws {
        for strategy in [try Self.strategy(.ironCondor, [85, 95, 105, 115]), try Self.strategy(.straddle, [100]),
                         try Self.strategy(.coveredCall, [105]), try Self.strategy(.calendar, [100], farExpiry: Self.far)] {
            let t = strategy.horizon, m = Self.market
            let mean = log(m.spot) + (m.rate - m.dividend - 0.5 * m.volatility * m.volatility) * t, sd = m.volatility * t.squareRoot()
            let steps = 400_000
            let low = mean - 10 * sd, width = 20 * sd / Double(steps)
            var integral = 0.0
            for i in 0..<steps {
                let x = low + (Double(i) + 0.5) * width
                if strategy.profit(spot: exp(x), time: t) > 0 { integral += exp(-0.5 * pow((x - mean) / sd, 2)) / (sd * (2 * Double.pi).squareRoot()) * width }
            }
            #expect(abs(strategy.probabilityOfProfit - integral) < 1e-5, "\(strategy.legs): \(strategy.probabilityOfProfit) vs \(integral)")
        }
    }

    @Test func badStrategiesAreRefused() {
        #expect(throws: OptionStrategyError("iron-condor takes 4 strikes, got 3")) {
            try OptionStrategyTemplate.ironCondor.legs(strikes: [90, 95, 105], expiry: 0.1)
        }
        #expect(throws: OptionStrategyError("strikes must rise: 105.0 then 95.0")) {
            try OptionStrategyTemplate.bullCallSpread.legs(strikes: [105, 95], expiry: 0.1)
        }
        #expect(throws: OptionStrategyError.self) { try OptionStrategyTemplate.calendar.legs(strikes: [100], expiry: 0.1) }
        #expect(throws: OptionStrategyError.self) { try OptionStrategyTemplate.straddle.legs(strikes: [.nan], expiry: 0.1) }
        #expect(throws: OptionStrategyError.self) { try OptionStrategy(legs: [.stock(1)], market: OptionMarket(spot: -1, volatility: 0.2)) }
    }
}
