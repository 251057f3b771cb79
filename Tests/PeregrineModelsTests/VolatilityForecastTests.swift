import Foundation
import PeregrineModels
import PeregrineTestSupport
import Testing

/// Volatility forecasts against Tests/Fixtures/volatility_arch.json (pandas for the historical and
/// EWMA figures, the arch package for GARCH(1,1)), on the closes of volatility_garch_bars.csv, both
/// made by scripts/fixtures/make_volatility_fixtures.py; and small cases by hand.
@Suite struct VolatilityForecastTests {
    nonisolated(unsafe) static let reference: [String: Any] = {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("volatility_arch.json"))!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static let closes: [Double] = {
        let text = try! String(contentsOfFile: TestPaths.fixture("volatility_garch_bars.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[4])! }
    }()

    @Test func historicalAndEWMAEqualPandas() throws {
        #expect(Self.closes.count == 1001)
        let all = try HistoricalVolatility.annualized(closes: Self.closes)
        let last20 = try HistoricalVolatility.annualized(closes: Self.closes, window: 20)
        #expect(abs(all - (Self.reference["historical_all"] as! Double)) <= 1e-12)
        #expect(abs(last20 - (Self.reference["historical_20"] as! Double)) <= 1e-12)
        let ewma = try EWMAVolatility.nextVariance(closes: Self.closes, lambda: 0.94)
        let expected = Self.reference["ewma_next_variance"] as! Double
        #expect(abs(ewma - expected) <= 1e-12 * expected)
    }

    /// Three closes by hand: returns ln 1.1 and ln(0.99 / 1.1); the EWMA forecast is
    /// 0.94 r1^2 + 0.06 r2^2, the sample variance (r1 - r2)^2 / 2.
    @Test func smallCasesByHand() throws {
        let closes = [100.0, 110, 99]
        let r1 = log(1.1), r2 = log(99.0 / 110)
        #expect(abs(try EWMAVolatility.nextVariance(closes: closes) - (0.94 * r1 * r1 + 0.06 * r2 * r2)) < 1e-15)
        let variance = (r1 - r2) * (r1 - r2) / 2
        #expect(abs(try HistoricalVolatility.annualized(closes: closes, periodsPerYear: 12) - (12 * variance).squareRoot()) < 1e-14)
    }

    /// The fit reaches arch's optimum: the same log-likelihood (to 1e-6), parameters and 10-bar
    /// forecast (measured: 5e-12, 8e-9 in beta, 3e-7 relative in omega, 2e-7 in the forecast).
    @Test func garchEqualsArch() throws {
        let garch = try GARCH11.fit(closes: Self.closes)
        let expected = Self.reference["garch"] as! [String: Any]
        let logLikelihood = expected["log_likelihood"] as! Double
        #expect(garch.logLikelihood >= logLikelihood - 1e-6, "\(garch.logLikelihood) vs \(logLikelihood)")
        #expect(abs(garch.logLikelihood - logLikelihood) <= 1e-6)
        #expect(abs(garch.alpha - (expected["alpha"] as! Double)) <= 1e-6, "alpha \(garch.alpha)")
        #expect(abs(garch.beta - (expected["beta"] as! Double)) <= 1e-6, "beta \(garch.beta)")
        #expect(abs(garch.omega / (expected["omega"] as! Double) - 1) <= 1e-5, "omega \(garch.omega)")
        #expect(abs(garch.mu - (expected["mu"] as! Double)) <= 1e-8, "mu \(garch.mu)")
        let forecast = garch.forecastVariances(horizon: 10)
        for (ours, theirs) in zip(forecast, expected["forecast_variances"] as! [Double]) {
            #expect(abs(ours / theirs - 1) <= 1e-5, "\(ours) vs \(theirs)")
        }
        // Each step moves toward the long-run variance.
        for step in 1..<forecast.count {
            #expect(abs(forecast[step] - garch.longRunVariance) < abs(forecast[step - 1] - garch.longRunVariance))
        }
    }

    @Test func badInputIsNamed() {
        #expect(throws: VolatilityInputError("close -1.0 of bar 3 is not a positive finite price")) {
            try HistoricalVolatility.annualized(closes: [100, 101, -1, 102])
        }
        #expect(throws: VolatilityInputError.self) { try EWMAVolatility.nextVariance(closes: [100, 101, 102], lambda: 1) }
        #expect(throws: VolatilityInputError.self) { try GARCH11.fit(closes: Array(repeating: 100, count: 10)) }
        #expect(throws: VolatilityInputError.self) { try GARCH11.fit(closes: Array(repeating: 100, count: 100)) }
        #expect(throws: VolatilityInputError.self) { try HistoricalVolatility.annualized(closes: [100, 101, .nan]) }
    }
}
