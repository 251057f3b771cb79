import Foundation
import PeregrineCore
import PeregrineModels
import PeregrineTestSupport
import Testing

/// The statistical-arbitrage statistics against statsmodels 0.14.5 (scripts/fixtures/make_stats_fixtures.py,
/// Tests/Fixtures/stats_statsmodels.json) on 400 real daily closes of ORCL and NVDA and a generated
/// cointegrated pair, closes and log closes.
@Suite struct CointegrationFixtureTests {
    static let tolerance = 1e-6

    struct Fixture {
        var series: [String: (timestamps: [String], close: [Double])] = [:]
        var root: [String: Any]

        init() throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("stats_statsmodels.json")))
            root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            for (name, value) in root["series"] as! [String: Any] {
                let entry = value as! [String: Any]
                series[name] = (entry["timestamps"] as! [String], entry["close"] as! [Double])
            }
        }

        func values(_ name: String, log: Bool) -> [Double] {
            let close = series[name]!.close
            return log ? close.map { Foundation.log($0) } : close
        }

        /// The closes of the named series on their common timestamps, in time order.
        func aligned(_ names: [String], log: Bool) -> [[Double]] {
            var common = Set(series[names[0]]!.timestamps)
            for name in names.dropFirst() { common.formIntersection(series[name]!.timestamps) }
            return names.map { name in
                let (timestamps, _) = series[name]!
                let values = values(name, log: log)
                return timestamps.indices.filter { common.contains(timestamps[$0]) }.map { values[$0] }
            }
        }

        var cases: (adf: [[String: Any]], pairs: [[String: Any]], johansen: [[String: Any]]) {
            (root["adf"] as! [[String: Any]], root["pairs"] as! [[String: Any]], root["johansen"] as! [[String: Any]])
        }
    }

    static func worst(_ pairs: [(Double, Double)]) -> Double { pairs.map { abs($0 - $1) }.max() ?? 0 }

    @Test func augmentedDickeyFullerMatchesStatsmodels() throws {
        let fixture = try Fixture()
        var statistic = 0.0, pValue = 0.0, critical = 0.0, aic = 0.0
        var lagsSeen = Set<Int>()
        for reference in fixture.cases.adf {
            let name = reference["series"] as! String
            let log = reference["log"] as! Bool
            let regression = AugmentedDickeyFuller.Regression(rawValue: reference["regression"] as! String)!
            let maxLag = reference["max_lag"] as? Int
            let result = try AugmentedDickeyFuller.test(fixture.values(name, log: log), regression: regression, maxLag: maxLag)
            let label = "\(name) log \(log) \(regression.rawValue) maxlag \(String(describing: maxLag))"
            #expect(result.lags == reference["lags"] as! Int, "\(label)")
            #expect(result.observations == reference["nobs"] as! Int, "\(label)")
            statistic = max(statistic, abs(result.statistic - (reference["statistic"] as! Double)))
            pValue = max(pValue, abs(result.pValue - (reference["p_value"] as! Double)))
            aic = max(aic, abs(result.aic - (reference["aic"] as! Double)))
            critical = max(critical, Self.worst(Array(zip(result.criticalValues.all, reference["critical_values"] as! [Double]))))
            #expect(abs(result.statistic - (reference["statistic"] as! Double)) <= Self.tolerance, "\(label)")
            #expect(abs(result.pValue - (reference["p_value"] as! Double)) <= Self.tolerance, "\(label)")
            lagsSeen.insert(result.lags)
        }
        print("ADF max abs difference vs statsmodels: statistic \(statistic), p-value \(pValue), critical values \(critical), AIC \(aic)")
        #expect(statistic <= Self.tolerance && pValue <= Self.tolerance && critical <= Self.tolerance && aic <= 1e-6)
        #expect(lagsSeen.count > 1, "the fixture should exercise AIC choosing different lags")
    }

    @Test func engleGrangerHedgeRatiosAndHalfLivesMatchStatsmodels() throws {
        let fixture = try Fixture()
        var worst: [String: Double] = [:]
        func note(_ key: String, _ ours: Double, _ theirs: Double, _ label: String) {
            worst[key] = max(worst[key] ?? 0, abs(ours - theirs))
            #expect(abs(ours - theirs) <= Self.tolerance * max(1, abs(theirs)), "\(key) \(label): \(ours) vs \(theirs)")
        }
        for reference in fixture.cases.pairs {
            let y = reference["y"] as! String, x = reference["x"] as! String, log = reference["log"] as! Bool
            let label = "\(y) on \(x) log \(log)"
            let aligned = fixture.aligned([y, x], log: log)
            #expect(aligned[0].count == reference["rows"] as! Int, "\(label)")
            let result = try EngleGranger.test(y: aligned[0], x: aligned[1])
            note("intercept", result.hedge.intercept, reference["intercept"] as! Double, label)
            note("hedge_ratio", result.hedge.ratio, reference["hedge_ratio"] as! Double, label)
            note("t_statistic", result.statistic, reference["t_statistic"] as! Double, label)
            note("p_value", result.pValue, reference["p_value"] as! Double, label)
            for (ours, theirs) in zip(result.criticalValues.all, reference["critical_values"] as! [Double]) {
                note("critical_values", ours, theirs, label)
            }
            let hedge = try HedgeRatio.ordinaryLeastSquares(y: aligned[0], x: aligned[1])
            #expect(hedge == result.hedge)
            let halfLife = try MeanReversionHalfLife(hedge.spread(y: aligned[0], x: aligned[1]))
            note("reversion_slope", halfLife.slope, reference["reversion_slope"] as! Double, label)
            if let theirs = reference["half_life"] as? Double {
                note("half_life", halfLife.bars, theirs, label)
            } else {
                #expect(halfLife.bars == .infinity, "\(label)")
            }
        }
        print("Engle-Granger max abs difference vs statsmodels: \(worst.sorted { $0.key < $1.key })")
    }

    @Test func johansenMatchesStatsmodels() throws {
        let fixture = try Fixture()
        let names = fixture.root["johansen_series"] as! [String]
        let series = fixture.aligned(names, log: false)
        #expect(series[0].count == fixture.root["johansen_rows"] as! Int)
        var worst: [String: Double] = [:]
        for reference in fixture.cases.johansen {
            let deterministic = Johansen.Deterministic(rawValue: reference["det_order"] as! Int)!
            let lags = reference["k_ar_diff"] as! Int
            let result = try Johansen.test(series, deterministic: deterministic, lagDifferences: lags)
            let label = "det_order \(deterministic.rawValue) k_ar_diff \(lags)"
            func compare(_ key: String, _ ours: [Double], _ theirs: [Double]) {
                #expect(ours.count == theirs.count)
                let difference = Self.worst(Array(zip(ours, theirs)))
                worst[key] = max(worst[key] ?? 0, difference)
                #expect(difference <= Self.tolerance, "\(key) \(label): \(ours) vs \(theirs)")
            }
            compare("eigenvalues", result.eigenvalues, reference["eigenvalues"] as! [Double])
            compare("trace", result.trace, reference["trace"] as! [Double])
            compare("max_eigen", result.maxEigen, reference["max_eigen"] as! [Double])
            compare("trace_critical_values", result.traceCriticalValues.flatMap { $0 },
                    (reference["trace_critical_values"] as! [[Double]]).flatMap { $0 })
            compare("max_eigen_critical_values", result.maxEigenCriticalValues.flatMap { $0 },
                    (reference["max_eigen_critical_values"] as! [[Double]]).flatMap { $0 })
            // Eigenvectors agree up to each column's sign.
            let vectors = reference["eigenvectors"] as! [[Double]]
            for column in 0..<names.count {
                let theirs = vectors.map { $0[column] }
                let ours = (0..<names.count).map { result.eigenvectors[$0, column] }
                let sign = (theirs.first { $0 != 0 } ?? 1) < 0 ? -1.0 : 1.0
                compare("eigenvectors", ours, theirs.map { sign * $0 })
            }
        }
        print("Johansen max abs difference vs statsmodels: \(worst.sorted { $0.key < $1.key })")
    }
}

/// Properties a reader can check by hand or by simulation.
@Suite struct CointegrationPropertyTests {
    static func randomWalk(_ count: Int, seed: UInt64, start: Double = 100) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        var value = start
        return (0..<count).map { _ in
            value += rng.nextNormal()
            return value
        }
    }

    static func autoregressive(_ count: Int, phi: Double, seed: UInt64) -> [Double] {
        var rng = SeededGenerator(seed: seed)
        var value = 0.0
        return (0..<count).map { _ in
            value = phi * value + rng.nextNormal()
            return value
        }
    }

    @Test func randomWalkIsNotRejectedAndStationaryAutoregressionIs() throws {
        for seed: UInt64 in 1...5 {
            let walk = try AugmentedDickeyFuller.test(Self.randomWalk(1_000, seed: seed))
            #expect(walk.pValue > 0.05, "seed \(seed): \(walk.statistic)")
            let stationary = try AugmentedDickeyFuller.test(Self.autoregressive(1_000, phi: 0.5, seed: seed))
            #expect(stationary.pValue < 0.01 && stationary.statistic < stationary.criticalValues.onePercent, "seed \(seed)")
        }
    }

    /// MacKinnon's critical values are the published β∞ as T grows, and the p-value at a critical value
    /// is close to its level.
    @Test func mackinnonTablesAreConsistent() {
        let asymptotic = MacKinnon.criticalValues(regression: .constant, series: 1, observations: nil)!
        #expect(asymptotic.all == [-3.43035, -2.86154, -2.56677])
        let hundred = MacKinnon.criticalValues(regression: .constant, series: 1, observations: 100)!
        #expect(abs(hundred.fivePercent - (-2.86154 - 2.8903 / 100 - 4.234 / 10_000 - 40.040 / 1_000_000)) < 1e-15)
        for regression in AugmentedDickeyFuller.Regression.allCases {
            let values = MacKinnon.criticalValues(regression: regression, series: 1, observations: nil)!
            for (value, level) in zip(values.all, [0.01, 0.05, 0.10]) {
                #expect(abs(MacKinnon.pValue(value, regression: regression, series: 1) - level) < 0.005, "\(regression) \(level)")
            }
        }
        #expect(MacKinnon.pValue(-30, regression: .constant, series: 1) == 0)
        #expect(MacKinnon.pValue(3, regression: .constant, series: 1) == 1)
        #expect(MacKinnon.criticalValues(regression: .none, series: 2, observations: 100) == nil)
    }

    /// sₜ = φ sₜ₋₁ exactly: Δsₜ = (φ - 1) sₜ₋₁, so b = φ - 1 and the half-life is -ln 2 / (φ - 1).
    @Test func halfLifeOfAnExactAutoregression() throws {
        let phi = 0.9
        let spread = (0..<50).map { pow(phi, Double($0)) * 10 }
        let halfLife = try MeanReversionHalfLife(spread)
        #expect(abs(halfLife.slope - (phi - 1)) < 1e-12)
        #expect(abs(halfLife.intercept) < 1e-12)
        #expect(abs(halfLife.bars - (-log(2) / (phi - 1))) < 1e-9)
        // A noisy AR(1) with φ = 0.95 over 20 000 bars: half-life near -ln 2 / -0.05 = 13.86.
        let noisy = try MeanReversionHalfLife(Self.autoregressive(20_000, phi: 0.95, seed: 3))
        #expect(abs(noisy.bars - 13.86) < 1.5)
        // A trending spread does not revert.
        #expect(try MeanReversionHalfLife((0..<50).map { pow(1.05, Double($0)) }).bars == .infinity)
    }

    @Test func hurstExponentSeparatesWalksFromMeanReversionAndTrends() throws {
        let walk = try HurstExponent.estimate(Self.randomWalk(5_000, seed: 9))
        #expect(abs(walk - 0.5) < 0.07, "\(walk)")
        let reverting = try HurstExponent.estimate(Self.autoregressive(5_000, phi: 0.3, seed: 9))
        #expect(reverting < 0.15, "\(reverting)")
        // Increments that persist: the walk of an AR(1) with φ = 0.9 trends at the lags measured.
        let steps = Self.autoregressive(5_000, phi: 0.9, seed: 9)
        var level = 0.0
        let trending = try HurstExponent.estimate(steps.map { level += $0; return level }, lags: 2...20)
        #expect(trending > 0.75, "\(trending)")
        // A straight line has differences of zero spread at every lag.
        #expect(throws: StatisticalInputError.self) { try HurstExponent.estimate((0..<100).map(Double.init)) }
    }

    @Test func kalmanHedgeRatioFindsAndTracksTheRatio() throws {
        let x = Self.randomWalk(2_000, seed: 4, start: 50)
        var rng = SeededGenerator(seed: 5)
        let y = x.enumerated().map { index, value in (index < 1_000 ? 1.5 : 2.5) * value + 3 + 0.05 * rng.nextNormal() }
        let estimates = try KalmanHedgeRatio.filter(y: y, x: x)
        #expect(abs(estimates[999].ratio - 1.5) < 0.05, "\(estimates[999].ratio)")
        #expect(abs(estimates[1_999].ratio - 2.5) < 0.1, "\(estimates[1_999].ratio)")
        // A faster drift (delta 1e-3) follows the break more closely.
        let fast = try KalmanHedgeRatio.filter(y: y, x: x, delta: 1e-3)
        #expect(abs(fast[1_999].ratio - 2.5) < abs(estimates[1_999].ratio - 2.5), "\(fast[1_999].ratio)")
        // Streaming and batch agree, and each estimate uses only bars up to its own.
        let prefix = try KalmanHedgeRatio.filter(y: Array(y.prefix(500)), x: Array(x.prefix(500)))
        #expect(prefix == Array(estimates.prefix(500)))
        // One step by hand from the prior θ₀ = 0, P₀ = I: S = x² + 1 + 2q + R, K = (x(1+q), 1+q) / S.
        let q = 1e-4 / (1 - 1e-4)
        let s = x[0] * x[0] * (1 + q) + (1 + q) + 1e-3
        #expect(abs(estimates[0].forecastVariance - s) < 1e-9)
        #expect(abs(estimates[0].ratio - x[0] * (1 + q) / s * y[0]) < 1e-12)
    }

    @Test func badInputIsRefusedWithAReason() {
        #expect(throws: StatisticalInputError.constant) { try AugmentedDickeyFuller.test(Array(repeating: 5, count: 100)) }
        var withNaN = Self.randomWalk(100, seed: 1)
        withNaN[41] = .nan
        #expect(throws: StatisticalInputError.notFinite(index: 41)) { try AugmentedDickeyFuller.test(withNaN) }
        #expect(throws: StatisticalInputError.tooFewObservations(needed: 8, got: 5)) {
            try AugmentedDickeyFuller.test([1, 2, 3, 2, 1])
        }
        #expect(throws: StatisticalInputError.maxLagTooLarge(maxLag: 60, limit: 48)) {
            try AugmentedDickeyFuller.test(Self.randomWalk(100, seed: 1), maxLag: 60)
        }
        let x = Self.randomWalk(200, seed: 2)
        #expect(throws: StatisticalInputError.self) { try EngleGranger.test(y: x.map { 2 * $0 + 1 }, x: x) }
        #expect(throws: StatisticalInputError.mismatchedLengths([200, 199])) { try EngleGranger.test(y: x, x: Array(x.dropLast())) }
        #expect(throws: StatisticalInputError.self) { try Johansen.test([x, x.map { 2 * $0 }, Self.randomWalk(200, seed: 3)]) }
        #expect(StatisticalInputError.notFinite(index: 41).description == "value 42 is not a finite number")
    }
}
