import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels
import PeregrineRisk
import PeregrineTestSupport
import Testing

@Suite struct ValueAtRiskTests {
    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)),
          arguments: ["orcl_daily.csv", "nvda_daily.csv", "btcusd_daily.csv", "aapl_daily_unadjusted.csv"])
    func historicalMatchesEmpyrical(file: String) throws {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("analyze_empyrical.json")))) as! [String: Any]
        let expected = (root["series"] as! [String: Any])[file] as! [String: Double]
        let closes = try BarCSVReader().read(path: TestPaths.sharedFile(file), instrument: .usEquity("X")).series.closes.map { Double($0) / 1e9 }
        let returns = (1..<closes.count).map { closes[$0] / closes[$0 - 1] - 1 }
        for (confidence, suffix) in [(0.95, "95"), (0.99, "99")] {
            let e = ValueAtRisk.historical(returns, confidence: confidence)
            let v = expected["var_" + suffix]!, c = expected["cvar_" + suffix]!
            #expect(abs(e.valueAtRisk - v) <= 1e-9 * abs(v), "\(file) VaR\(suffix)")
            #expect(abs(e.conditionalValueAtRisk - c) <= 1e-9 * abs(c), "\(file) CVaR\(suffix)")
        }
    }

    @Test func parametricIsTheNormalClosedForm() {
        // z(5%) = -1.6448536269514722, φ(z) = 0.10313564037537128; z(1%) = -2.3263478740408408, φ(z) = 0.02665214220345808.
        let e95 = ValueAtRisk.parametric(mean: 0.001, standardDeviation: 0.02, confidence: 0.95)
        #expect(abs(e95.valueAtRisk - (0.001 - 0.02 * 1.6448536269514722)) < 1e-14)
        #expect(abs(e95.conditionalValueAtRisk - (0.001 - 0.02 * 0.10313564037537128 / 0.05)) < 1e-14)
        let e99 = ValueAtRisk.parametric(mean: 0, standardDeviation: 1, confidence: 0.99)
        #expect(abs(e99.valueAtRisk + 2.3263478740408408) < 1e-13)
        #expect(abs(e99.conditionalValueAtRisk + 0.02665214220345808 / 0.01) < 1e-12)
    }

    @Test func quantileInvertsTheCDF() {
        for p in [1e-10, 1e-4, 0.01, 0.02425, 0.05, 0.3, 0.5, 0.77, 0.975, 0.99999] {
            #expect(abs(NormalDistribution.cdf(NormalDistribution.quantile(p)) - p) < 1e-14 * max(1, 1 / p) * p + 1e-16)
        }
    }

    @Test func monteCarloConvergesToParametric() {
        var rng = SeededGenerator(seed: 8)
        let returns = (0..<2_000).map { _ in rng.nextNormal(mean: 0.0005, standardDeviation: 0.015) }
        let parametric = ValueAtRisk.parametric(returns, confidence: 0.99)
        let simulated = ValueAtRisk.monteCarlo(returns, confidence: 0.99, paths: 400_000, seed: 1)
        #expect(abs(simulated.valueAtRisk - parametric.valueAtRisk) < 0.02 * abs(parametric.valueAtRisk))
        #expect(abs(simulated.conditionalValueAtRisk - parametric.conditionalValueAtRisk) < 0.02 * abs(parametric.conditionalValueAtRisk))
        #expect(ValueAtRisk.monteCarlo(returns, confidence: 0.95, paths: 1_000, seed: 3)
            == ValueAtRisk.monteCarlo(returns, confidence: 0.95, paths: 1_000, seed: 3))
    }

    /// The standard tail is kept between calls; the estimate must equal drawing the scaled normals afresh.
    @Test func monteCarloEqualsFreshDrawsOfTheFittedNormal() {
        var rng = SeededGenerator(seed: 4)
        for confidence in [0.95, 0.99, 0.975] {
            let returns = (0..<300).map { _ in rng.nextNormal(mean: 0.001, standardDeviation: 0.02) }
            let mean = returns.reduce(0, +) / 300
            let deviation = (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 299).squareRoot()
            var generator = SeededGenerator(seed: 5)
            var draws = (0..<20_000).map { _ in generator.nextNormal(mean: mean, standardDeviation: deviation) }
            let fresh = ValueAtRisk.historical(consuming: &draws, confidence: confidence)
            for _ in 0..<2 {
                let kept = ValueAtRisk.monteCarlo(returns, confidence: confidence, paths: 20_000, seed: 5)
                #expect(abs(kept.valueAtRisk - fresh.valueAtRisk) <= 1e-12 * abs(fresh.valueAtRisk))
                #expect(abs(kept.conditionalValueAtRisk - fresh.conditionalValueAtRisk) <= 1e-12 * abs(fresh.conditionalValueAtRisk))
            }
        }
        #expect(ValueAtRisk.monteCarlo([0.01], confidence: 0.95, paths: 100, seed: 1).valueAtRisk.isNaN)
    }

    @Test func portfolioReturnsWeightTheSeries() {
        let p = ValueAtRisk.portfolioReturns([[0.01, -0.02], [0.03, 0.01]], weights: [0.5, 0.25])
        #expect(abs(p[0] - 0.0125) < 1e-15 && abs(p[1] - (-0.0075)) < 1e-15)
    }
}
