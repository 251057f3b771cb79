import Foundation
import PeregrineModels
import Testing

/// The American approximations against Tests/Fixtures/options_quantlib.json: Bjerksund-Stensland
/// 1993 against QuantLib's engine (price and its analytic Greeks), the 2002 version against the
/// paper's formula evaluated in Python with a bivariate normal by quadrature, and Barone-Adesi-Whaley
/// with the paper's stopping rule against QuantLib's engine, which uses it.
@Suite struct AmericanApproximationTests {
    static var bjerksundStensland: [[String: Any]] { OptionPricingTests.fixture["bjerksund_stensland"] as! [[String: Any]] }

    @Test func bivariateNormalEqualsQuadrature() {
        let rows = OptionPricingTests.fixture["bivariate_normal"] as! [[String: Any]]
        #expect(rows.count == 180)
        for row in rows {
            let ours = BivariateNormalDistribution.cdf(row["a"] as! Double, row["b"] as! Double, rho: row["rho"] as! Double)
            let reference = row["cdf"] as! Double
            #expect(abs(ours - reference) <= 1e-12, "\(row): \(ours) vs \(reference)")
        }
    }

    @Test func bjerksundStensland1993EqualsQuantLib() {
        var worst = 0.0
        for row in Self.bjerksundStensland {
            let (type, inputs) = OptionPricingTests.inputs(row)
            let ours = BjerksundStensland.value(type, inputs, version: .flatBoundary1993)
            let reference = row["price_1993"] as! Double
            worst = max(worst, abs(ours.price - reference) / max(1, reference))
            // Central differences of the closed form against QuantLib's analytic Greeks.
            for (name, value, tolerance) in [("delta", ours.delta, 1e-6), ("gamma", ours.gamma, 1e-5), ("vega", ours.vega, 1e-5),
                                             ("theta", ours.theta, 1e-4), ("rho", ours.rho, 1e-5), ("dividend_rho", ours.dividendRho, 1e-5)] {
                let greek = row[name + "_1993"] as! Double
                #expect(abs(value - greek) <= tolerance * max(1, abs(greek)), "\(name) \(type) \(inputs): \(value) vs \(greek)")
            }
        }
        #expect(Self.bjerksundStensland.count == 270)
        #expect(worst <= 1e-12, "worst relative difference \(worst)")
    }

    /// The 2002 price equals the formula's independent evaluation (with the European price and the
    /// intrinsic value as floors, like the 1993 one) and, as the value of one exercise rule, is at
    /// most the American price (the 1,001-step Leisen-Reimer tree).
    @Test func bjerksundStensland2002EqualsTheFormulaAndBoundsTheTree() {
        var worst = 0.0
        for (index, row) in Self.bjerksundStensland.enumerated() {
            let (type, inputs) = OptionPricingTests.inputs(row)
            let ours = BjerksundStensland.price(type, inputs, version: .twoStep2002)
            let european = BlackScholesMerton.value(type, inputs).price
            let reference = max(row["price_2002"] as? Double ?? european, european, type.intrinsic(spot: inputs.spot, strike: inputs.strike))
            worst = max(worst, abs(ours - reference) / max(1, reference))
            if index % 5 == 0 {
                let tree = BinomialTree(kind: .leisenReimer, steps: 1001).price(type, inputs, american: true)
                #expect(ours <= tree + 2e-3 * max(1, tree), "\(type) \(inputs): \(ours) above the tree \(tree)")
            }
        }
        #expect(worst <= 1e-10, "worst relative difference \(worst)")
    }

    /// The closed form against the value of the exercise rule it prices, computed by a 20,000-step
    /// tree that exercises by that rule (with a correction for monitoring at the steps only): equal
    /// to the tree's accuracy.
    @Test func bjerksundStensland2002PricesItsExerciseRule() {
        let rows = OptionPricingTests.fixture["bjerksund_stensland_rule"] as! [[String: Any]]
        #expect(rows.count == 5)
        for row in rows {
            let (type, inputs) = OptionPricingTests.inputs(row)
            let ours = BjerksundStensland.price(type, inputs, version: .twoStep2002)
            let rule = row["rule_tree"] as! Double
            #expect(abs(ours - rule) <= 5e-3 * max(1, rule), "\(inputs): \(ours) vs the rule's tree \(rule)")
        }
    }

    /// Haug (2007), section 3.3: the call on S = 42, K = 40, T = 0.75, r = 0.04, b = -0.04 (yield
    /// 0.08), sigma = 0.35 is 5.2704 by the 1993 version.
    @Test func haugsExample() {
        let inputs = OptionInputs(spot: 42, strike: 40, volatility: 0.35, rate: 0.04, dividend: 0.08, expiry: 0.75)
        #expect(abs(BjerksundStensland.price(.call, inputs, version: .flatBoundary1993) - 5.2704) < 5e-5)
    }

    /// With the paper's stopping rule (|exercise - holding| / K below 1e-6, as QuantLib's engine
    /// stops) the same Newton iterations from the same seed give QuantLib's prices; run to full
    /// precision they differ by the rule's slack only.
    @Test func baroneAdesiWhaleyWithThePapersStoppingRuleEqualsQuantLib() {
        var worst = (paperRule: 0.0, fullPrecision: 0.0)
        for row in OptionPricingTests.fixture["barone_adesi_whaley"] as! [[String: Any]] {
            let (type, inputs) = OptionPricingTests.inputs(row)
            let reference = row["price"] as! Double
            let paperRule = BaroneAdesiWhaley.price(type, inputs, stoppingTolerance: 1e-6)
            worst.paperRule = max(worst.paperRule, abs(paperRule - reference) / max(1, reference))
            worst.fullPrecision = max(worst.fullPrecision, abs(BaroneAdesiWhaley.price(type, inputs) - reference) / max(1, reference))
        }
        #expect(worst.paperRule <= 1e-10 && worst.fullPrecision <= 2e-5, "\(worst)")
    }
}
