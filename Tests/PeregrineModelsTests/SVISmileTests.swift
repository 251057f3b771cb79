import Foundation
import PeregrineModels
import PeregrineTestSupport
import Testing

/// Raw SVI fits against scipy's least squares over the five parameters from 60 starts
/// (Tests/Fixtures/svi_scipy.json, made by scripts/fixtures/make_svi_fixtures.py).
@Suite struct SVISmileTests {
    struct Case: Decodable {
        var name: String
        var forward: Double
        var expiry: Double
        var truth: [Double]
        var strikes: [Double]
        var volatilities: [Double]
        var a: Double, b: Double, rho: Double, m: Double, s: Double
        var total_variance: [Double]
        var rss: Double
    }

    struct Fixture: Decodable { var cases: [Case] }

    static let cases: [Case] = {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("svi_scipy.json"))!
        return try! JSONDecoder().decode(Fixture.self, from: data).cases
    }()

    func smile(_ c: Case) throws -> SVISmile {
        let points = zip(c.strikes, c.volatilities).map { VolatilitySmile.Point(strike: $0, volatility: $1) }
        return try SVISmile(points: points, forward: c.forward, expiry: c.expiry)
    }

    /// The fit reaches scipy's least squares: the same residual sum of squares in total variance (never
    /// worse), the same parameters and fitted variances.
    @Test(arguments: [0, 1]) func theFitEqualsScipysLeastSquares(index: Int) throws {
        let c = Self.cases[index]
        let fit = try smile(c)
        let k = c.strikes.map { Foundation.log($0 / c.forward) }
        let w = c.volatilities.map { $0 * $0 * c.expiry }
        let rss = zip(k, w).reduce(0.0) { $0 + pow(fit.totalVariance(logMoneyness: $1.0) - $1.1, 2) }
        #expect(rss <= c.rss * (1 + 1e-6) + 1e-18, "\(c.name): rss \(rss) vs scipy \(c.rss)")
        for (ours, theirs) in zip([fit.a, fit.b, fit.rho, fit.m, fit.s], [c.a, c.b, c.rho, c.m, c.s]) {
            #expect(abs(ours - theirs) < 1e-4, "\(c.name): \(ours) vs \(theirs)")
        }
        for (kk, theirs) in zip(k, c.total_variance) { #expect(abs(fit.totalVariance(logMoneyness: kk) - theirs) < 1e-7) }
        #expect(fit.b >= 0 && abs(fit.rho) < 1 && fit.s > 0 && fit.minimumTotalVariance >= 0)
    }

    /// Quotes priced from known parameters (rounded to six decimals) give them back.
    @Test func exactQuotesGiveTheirParametersBack() throws {
        let c = Self.cases[0]
        let fit = try smile(c)
        for (ours, truth) in zip([fit.a, fit.b, fit.rho, fit.m, fit.s], c.truth) { #expect(abs(ours - truth) < 1e-3, "\(ours) vs \(truth)") }
        #expect(fit.rootMeanSquareError < 1e-5)
        // Between and beyond the quotes: the wings grow linearly in total variance, never negative.
        let t = c.truth
        let atTheMoney = t[0] + t[1] * (t[2] * -t[3] + (t[3] * t[3] + t[4] * t[4]).squareRoot())
        #expect(abs(fit.volatility(strike: 100) - (atTheMoney / c.expiry).squareRoot()) < 1e-5)
        let far = [10.0, 20, 400, 1000].map { fit.totalVariance(logMoneyness: Foundation.log($0 / c.forward)) }
        #expect(far.allSatisfy { $0 > 0 })
    }

    @Test func unusableQuotesAreRefused() {
        let four = [90.0, 95, 100, 105].map { VolatilitySmile.Point(strike: $0, volatility: 0.2) }
        #expect(throws: VolatilitySmile.Failure.self) { try SVISmile(points: four, forward: 100, expiry: 0.5) }
        let nan = [80.0, 90, 95, 100, 105].map { VolatilitySmile.Point(strike: $0, volatility: $0 == 95 ? .nan : 0.2) }
        #expect(throws: VolatilitySmile.Failure.self) { try SVISmile(points: nan, forward: 100, expiry: 0.5) }
        let five = [80.0, 90, 95, 100, 105].map { VolatilitySmile.Point(strike: $0, volatility: 0.2) }
        #expect(throws: VolatilitySmile.Failure.self) { try SVISmile(points: five, forward: 100, expiry: 0) }
        // A flat smile is fitted as flat.
        let flat = try? SVISmile(points: five, forward: 100, expiry: 0.5)
        #expect(flat.map { abs($0.volatility(strike: 92) - 0.2) < 1e-6 && abs($0.volatility(strike: 130) - 0.2) < 1e-3 } == true)
    }
}
