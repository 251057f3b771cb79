import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels
import Testing

/// The signaling game as specified: labels, the estimator and the estimated game, each on numbers
/// worked by hand in the comments, and the engine's estimated form never reading ahead.
@Suite struct EstimatedSignalingGameTests {
    /// s = 0.01: stretched is |D| ≥ 0.015, continued F·sign D ≥ 0.005, whipsaw a two-way range ≥ 0.02.
    @Test func labelsFollowTheRulesInOrder() {
        func label(_ d: Double, _ f: Double, up: Double = 0, down: Double = 0) -> MarketType {
            MarketTypeLabeler.label(recentMove: d, forwardMove: f, upExcursion: up, downExcursion: down, scale: 0.01)
        }
        #expect(label(0.02, -0.006) == .exhausted)
        #expect(label(0.02, -0.006, up: 0.02, down: 0.02) == .exhausted)   // before the whipsaw rule
        #expect(label(0.01, -0.006, up: 0.006, down: 0.006) == .range)      // reversal of a move that was not stretched
        #expect(label(-0.005, -0.007) == .trend)                           // a down move that went on down
        #expect(label(0.02, 0.006) == .trend)
        #expect(label(0.003, 0.001, up: 0.012, down: 0.011) == .manipulator)
        #expect(label(0.003, 0.006, up: 0.012, down: 0.011) == .trend)      // a wide path that still went on
        #expect(label(0.003, 0.001, up: 0.010, down: 0.009) == .range)
    }

    static func sample(_ index: Int, _ label: MarketType, feature: Double, _ kind: SignalKind, regime: Int?, forecast: Double,
                       next: Double, following: Double, forward: Double, up: Double, down: Double, move: Double) -> MarketTypeEstimator.Sample {
        MarketTypeEstimator.Sample(observation: MarketTypeObservation(features: [feature], kind: kind, regime: regime, oneStepForecast: forecast,
                                                                      horizonVolatility: 0.01, recentMove: move),
                                   label: label, index: index, nextReturn: next, followingReturn: following, forwardMove: forward,
                                   upExcursion: up, downExcursion: down)
    }

    static let samples = [
        sample(10, .trend, feature: 1, .follow, regime: 2, forecast: 0.001, next: 0.002, following: 0.001, forward: 0.010, up: 0.012, down: 0.002, move: 0.01),
        sample(11, .trend, feature: 3, .follow, regime: 1, forecast: 0.002, next: 0.003, following: 0.002, forward: 0.008, up: 0.009, down: 0.001, move: 0.01),
        sample(12, .range, feature: -1, .fade, regime: 1, forecast: -0.001, next: 0.001, following: -0.001, forward: -0.002, up: 0.004, down: 0.005, move: 0.01),
        sample(13, .range, feature: -2, .hold, regime: 1, forecast: 0.001, next: -0.002, following: 0.001, forward: 0.001, up: 0.003, down: 0.002, move: -0.01),
        sample(20, .manipulator, feature: 0, .follow, regime: nil, forecast: 0.0005, next: -0.001, following: 0.002, forward: -0.001, up: 0.011, down: 0.012, move: 0.01),
        sample(21, .exhausted, feature: 2, .fade, regime: 0, forecast: -0.002, next: 0.008, following: -0.001, forward: -0.008, up: 0.002, down: 0.010, move: 0.02),
    ]

    @Test func theEstimatorOnHandWorkedBars() {
        let p = MarketTypeEstimator.estimate(Self.samples)
        func near(_ a: Double, _ b: Double, _ what: String) { #expect(abs(a - b) < 1e-9, "\(what): \(a) vs \(b)") }
        #expect(p.counts == [2, 2, 1, 1])
        // (n + 1) / (6 + 4).
        for (a, b) in zip(p.baseRates, [0.3, 0.3, 0.2, 0.2]) { near(a, b, "base rate") }
        // (n_k + 1) / (n + 3), kinds follow, fade, hold.
        for (a, b) in zip(p.kindProbabilities.flatMap { $0 }, [0.6, 0.2, 0.2, 0.2, 0.4, 0.4, 0.5, 0.25, 0.25, 0.25, 0.5, 0.25]) { near(a, b, "kind") }
        // Trend {1, 3}: mean 2, variance 2; range {−1, −2}: −1.5, 0.5; one bar each for the others: the
        // pooled mean 3/6 = 0.5 and variance 17.5/5 = 3.5.
        for (a, b) in zip(p.featureMeans.map { $0[0] }, [2, -1.5, 0.5, 0.5]) { near(a, b, "mean") }
        for (a, b) in zip(p.featureVariances.map { $0[0] }, [2, 0.5, 3.5, 3.5]) { near(a, b, "variance") }
        // Consecutive pairs 10-11 (stay), 11-12, 12-13 (stay), 20-21: s = 0.5; Σb² = 0.26; ψ = 0.24 / 0.74.
        near(p.typePersistence, 0.24 / 0.74, "type persistence")
        // Trend damping: all regimes (2 + 6)/(1 + 4) = 1.6; regime 2 alone 2.0 → (2 + 20·1.6)/21; regime 1
        // alone 1.5 → (1.5 + 32)/21; regime 0 has none → 1.6.
        for (a, b) in zip(p.damping[0], [1.6, 33.5 / 21, 34.0 / 21, 1.6]) { near(a, b, "trend damping") }
        // Exhausted: 0.008·(−0.002) / 0.002² = −4, clamped to −3 (its regime-0 figure too).
        for (a, b) in zip(p.damping[3], [Double](repeating: -3, count: 4)) { near(a, b, "exhausted damping") }
        // Manipulator: no regime; −0.0005e-3 / 0.25e-6 = −2 everywhere.
        for (a, b) in zip(p.damping[2], [Double](repeating: -2, count: 4)) { near(a, b, "manipulator damping") }
        // Trend persistence: all (2 + 6)/(4 + 9) = 8/13; regime 2: 0.5 → (0.5 + 20·8/13)/21; regime 1: 2/3 → (2/3 + 20·8/13)/21.
        let all = 8.0 / 13
        for (a, b) in zip(p.persistence[0], [all, (2.0 / 3 + 20 * all) / 21, (0.5 + 20 * all) / 21, all]) { near(a, b, "trend persistence") }
        // Frictions in σ = 0.01 units.
        for (a, b) in zip(p.huntingCost, [0.15, 0.3, 1.1, 0.2]) { near(a, b, "hunting cost") }
        for (a, b) in zip(p.liquidityProfit, [0.0, 0.15, 0.1, 0.8]) { near(a, b, "liquidity profit") }
        for (a, b) in zip(p.manipulatorPayoff, [0.0, 0.15, 0.1, 0.8]) { near(a, b, "manipulator payoff") }
        // Regime mixing.
        near(p.damping(.trend, regime: [0.2, 0.5, 0.3]), 0.2 * 1.6 + 0.5 * 33.5 / 21 + 0.3 * 34.0 / 21, "mixed damping")
        near(p.damping(.trend, regime: nil), 1.6, "damping without a regime")
    }

    /// Naive Bayes by hand: prior × P(kind | t) × N(x; μ_t, v_t).
    @Test func thePosteriorReadsTheSignalKindAndTheObservables() {
        let p = MarketTypeEstimator.estimate(Self.samples)
        func density(_ x: Double, _ mean: Double, _ variance: Double) -> Double {
            Foundation.exp(-(x - mean) * (x - mean) / (2 * variance)) / (2 * Double.pi * variance).squareRoot()
        }
        let means = [2, -1.5, 0.5, 0.5], variances = [2, 0.5, 3.5, 3.5]
        let follow = [0.6, 0.2, 0.5, 0.25], fade = [0.2, 0.4, 0.25, 0.5]
        func expected(_ prior: [Double], _ kind: [Double], _ x: Double) -> [Double] {
            let w = (0..<4).map { prior[$0] * kind[$0] * density(x, means[$0], variances[$0]) }
            return w.map { $0 / w.reduce(0, +) }
        }
        let fresh = p.posterior(features: [1], kind: .follow, previous: nil)
        for (a, b) in zip(fresh, expected([0.3, 0.3, 0.2, 0.2], follow, 1)) { #expect(abs(a - b) < 1e-12) }
        // The same bar read as a fade moves belief from trend toward range and exhausted.
        let faded = p.posterior(features: [1], kind: .fade, previous: nil)
        for (a, b) in zip(faded, expected([0.3, 0.3, 0.2, 0.2], fade, 1)) { #expect(abs(a - b) < 1e-12) }
        #expect(faded[0] < fresh[0] && faded[1] > fresh[1])
        // With a previous posterior: prior = ψ·previous + (1 − ψ)·base.
        let psi = p.typePersistence
        let prior = zip([1.0, 0, 0, 0], [0.3, 0.3, 0.2, 0.2]).map { psi * $0 + (1 - psi) * $1 }
        let sticky = p.posterior(features: [1], kind: .follow, previous: [1, 0, 0, 0])
        for (a, b) in zip(sticky, expected(prior, follow, 1)) { #expect(abs(a - b) < 1e-12) }
    }

    static let profiles = EstimatedTypeProfiles(
        counts: [1, 1, 1, 1], baseRates: [0.25, 0.25, 0.25, 0.25], typePersistence: 0.5,
        featureMeans: Array(repeating: [0], count: 4), featureVariances: Array(repeating: [1], count: 4),
        kindProbabilities: Array(repeating: [1.0 / 3, 1.0 / 3, 1.0 / 3], count: 4),
        damping: [[1, 1, 1, 1], [-0.5, -0.5, -0.5, -0.5], [0, 0, 0, 0], [-1, -1, -1, -1]],
        persistence: [[0.5, 0.5, 0.5, 0.5], [0.2, 0.2, 0.2, 0.2], [0, 0, 0, 0], [-0.5, -0.5, -0.5, -0.5]],
        huntingCost: [0.1, 0.2, 0.5, 0.3], liquidityProfit: [0, 0.3, 0.1, 0.4], manipulatorPayoff: [0, 0.1, 0.6, 0.2])

    /// H = 3, δ = 0.9, μ₁ = 0.002, T = 0.006, σ_H = 0.01, a buy after an up move:
    /// X = d·μ₁·(1 + δφ + (δφ)²): trend 0.002·1.6525, range −0.001·1.2124, manipulator 0, exhausted −0.002·0.7525;
    /// x = max(0, −X/σ) = [0, 0.12124, 0, 0.1505];
    /// m = d·T/σ − κ − ν = [0.6 − 0.1, −0.3 − 0.2 − 0.1, −0.5 − 0.6, −0.6 − 0.3 − 0.2] = [0.5, −0.6, −1.1, −1.1].
    /// Only trend survives; the edge is 0.5; s·0.5 − s²/2 peaks at s = 0.5.
    @Test func theEstimatedGameOnHandWorkedNumbers() {
        let game = EstimatedSignalingGame(profiles: Self.profiles, horizon: 3, discount: 0.9)
        #expect(abs(game.expectedMove(.trend, oneStepForecast: 0.002, regime: nil) - 0.002 * 1.6525) < 1e-15)
        let buy = game.play(action: 1, oneStepForecast: 0.002, target: 0.006, horizonVolatility: 0.01, recentMove: 1, regime: nil,
                            posterior: [0.4, 0.3, 0.2, 0.1])
        for (a, b) in zip(buy.equilibriumPayoffs, [0, 0.12124, 0, 0.1505]) { #expect(abs(a - b) < 1e-12, "x \(a) vs \(b)") }
        for (a, b) in zip(buy.deviationPayoffs, [0.5, -0.6, -1.1, -1.1]) { #expect(abs(a - b) < 1e-12, "m \(a) vs \(b)") }
        #expect(buy.survivors == [.trend] && buy.updatedPosterior == [1, 0, 0, 0])
        #expect(abs(buy.expectedEdge - 0.5) < 1e-12 && buy.minimaxMultiplier == 0.5)

        // A sell that fades the up move: x = max(0, X/σ) = [0.3305, 0, 0, 0];
        // m = −d·T/σ − κ + λ = [−0.7, 0.3 − 0.2 + 0.3, −0.5 + 0.1, 0.6 − 0.3 + 0.4] = [−0.7, 0.4, −0.4, 0.7].
        // Range and exhausted survive with beliefs 0.3 : 0.1 → 0.75, 0.25; edge 0.75·0.4 + 0.25·0.7 = 0.475;
        // the worst margin 0.4 sizes 0.5 (0.075 against 0.06875 at 0.25).
        let sell = game.play(action: -1, oneStepForecast: 0.002, target: 0.006, horizonVolatility: 0.01, recentMove: 1, regime: nil,
                             posterior: [0.4, 0.3, 0.2, 0.1])
        for (a, b) in zip(sell.equilibriumPayoffs, [0.3305, 0, 0, 0]) { #expect(abs(a - b) < 1e-12, "x \(a) vs \(b)") }
        for (a, b) in zip(sell.deviationPayoffs, [-0.7, 0.4, -0.4, 0.7]) { #expect(abs(a - b) < 1e-12, "m \(a) vs \(b)") }
        #expect(sell.survivors == [.range, .exhausted])
        #expect(abs(sell.updatedPosterior[1] - 0.75) < 1e-12 && abs(sell.updatedPosterior[3] - 0.25) < 1e-12)
        #expect(abs(sell.expectedEdge - 0.475) < 1e-12 && sell.minimaxMultiplier == 0.5)
        // Persistence and damping follow the regime: with a regime where trend damps to zero, trend's x and m vanish.
        var byRegime = Self.profiles
        byRegime.damping[0] = [0, 1, 1, 1]
        let bear = EstimatedSignalingGame(profiles: byRegime, horizon: 3, discount: 0.9)
            .play(action: 1, oneStepForecast: 0.002, target: 0.006, horizonVolatility: 0.01, recentMove: 1, regime: [1, 0, 0], posterior: [0.25, 0.25, 0.25, 0.25])
        #expect(bear.equilibriumPayoffs[0] == 0 && abs(bear.deviationPayoffs[0] + 0.1) < 1e-12 && bear.survivors.isEmpty)
    }

    /// The estimator labels from the bars it recorded: forward move, excursions and returns by hand.
    @Test func recordedBarsAreLabelledOnlyOnceTheirHorizonHasPassed() {
        var estimator = MarketTypeEstimator(horizon: 2, window: 10)
        let closes = [100.0, 101, 103, 102, 104]
        let observation = MarketTypeObservation(features: [0], kind: .follow, regime: nil, oneStepForecast: 0.001, horizonVolatility: 0.01,
                                                recentMove: 0.01)
        for (k, close) in closes.enumerated() {
            estimator.recordBar(close: close, high: close + 1, low: close - 1)
            if k == 1 { estimator.recordObservation(observation) }
            // Bar 1's label needs bars 2 and 3.
            #expect(estimator.labelledSamples().count == (k >= 3 ? 1 : 0))
        }
        let sample = estimator.labelledSamples()[0]
        #expect(sample.index == 1)
        #expect(abs(sample.forwardMove - Foundation.log(102.0 / 101)) < 1e-15)
        #expect(abs(sample.nextReturn - Foundation.log(103.0 / 101)) < 1e-15)
        #expect(abs(sample.followingReturn - Foundation.log(102.0 / 103)) < 1e-15)
        #expect(abs(sample.upExcursion - Foundation.log(104.0 / 101)) < 1e-15)        // bar 2's high
        #expect(abs(sample.downExcursion - 0) < 1e-15)                                // lows 102 and 101 never below 101
        // D = 0.01, F = log(102/101) ≈ 0.0098 ≥ 0.005: a trend.
        #expect(sample.label == .trend)
    }

    /// The estimated form's signal at bar k depends on bars up to k only: replacing every later bar
    /// changes none of the earlier signals, while the profiles do get estimated and used (the fixed
    /// form plays until the first estimate).
    @Test func theEstimatedFormNeverReadsAhead() {
        var options = SyntheticMarket.Options()
        options.bars = 900
        options.seed = 11
        options.interval = Timestamp.nanosPerDay
        let series = SyntheticMarket(options: options).generate()
        options.seed = 12
        let other = SyntheticMarket(options: options).generate()
        var settings = SignalEngine.Settings()
        settings.game = .estimated
        settings.estimationMinimum = 100
        settings.estimationRefit = 10
        let cut = 650
        var first = SignalEngine(settings: settings)
        var second = SignalEngine(settings: settings)
        var kept = 0
        var estimating = 0
        for index in 0..<series.count {
            let a = first.update(series[index])
            // The second run sees the same bars up to the cut, then another market scaled onto its close.
            let bar: Bar
            if index <= cut {
                bar = series[index]
            } else {
                let scale = series[cut].close.doubleValue / other[cut].close.doubleValue
                let o = other[index]
                func p(_ x: Price) -> Price { Price(approximating: x.doubleValue * scale) }
                bar = Bar(timestamp: o.timestamp, open: p(o.open), high: p(o.high), low: p(o.low), close: p(o.close), volume: o.volume)
            }
            let b = second.update(bar)
            if index <= cut {
                #expect(a == b, "bar \(index)")
                if a?.form == .estimated && a?.reason.hasPrefix("kept_by_") == true { kept += 1 }
                if a?.form == .fixed { estimating += 1 }
            }
        }
        #expect(kept > 20 && estimating > 50, "kept \(kept), estimating \(estimating)")
        #expect(first.estimatedProfiles != nil && first.estimatedProfiles != second.estimatedProfiles)
    }
}
