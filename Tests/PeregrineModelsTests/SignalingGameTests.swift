import PeregrineCore
import PeregrineModels
import Testing

@Suite struct SignalingGameTests {
    let game = SignalingGame()
    let uniform = [0.25, 0.25, 0.25, 0.25]

    /// Buying a strong up-forecast that follows an up move: R/σ = 2.
    /// m = [1·2 − .05, −0.5·2 − .10, 0 − .60 − .40, −1·2 − .30] = [1.95, −1.10, −1.00, −2.30]
    /// x = [.05, .05, .20, .10]: only trend survives.
    @Test func intuitiveCriterionEliminatesTypesThatWouldNotDeviate() {
        let outcome = game.play(action: 1, forecastReturn: 0.02, horizonVolatility: 0.01, recentMove: 1, posterior: uniform)
        let expected = [1.95, -1.10, -1.00, -2.30]
        for (a, e) in zip(outcome.deviationPayoffs, expected) { #expect(abs(a - e) < 1e-12) }
        #expect(outcome.equilibriumPayoffs == [0.05, 0.05, 0.20, 0.10])
        #expect(outcome.survivors == [.trend])
        #expect(outcome.updatedPosterior == [1, 0, 0, 0])
        #expect(abs(outcome.expectedEdge - 2) < 1e-12)
        // One surviving type: the trader maximizes s·1.9 − s²/2 on the grid: s = 1.
        #expect(outcome.minimaxMultiplier == 1)
    }

    /// Fading a move with a small down forecast: A = −1, D = +1, R/σ = −0.4.
    /// m = [0.4 − .05, −0.2 − .10 + .15, −.60, −0.4 − .30 + .05] = [0.35, −0.15, −0.60, −0.65]: trend survives.
    @Test func fadingUsesLiquidityProfitAndSizingIsInterior() {
        let outcome = game.play(action: -1, forecastReturn: -0.004, horizonVolatility: 0.01, recentMove: 1, posterior: [0.1, 0.6, 0.2, 0.1])
        let expected = [0.35, -0.15, -0.60, -0.65]
        for (a, e) in zip(outcome.deviationPayoffs, expected) { #expect(abs(a - e) < 1e-12) }
        #expect(outcome.survivors == [.trend])
        // Payoff s·0.30 − s²/2 peaks at s = 0.3: on the grid 0.25 wins (0.04375 vs 0.025 at 0.5).
        #expect(outcome.minimaxMultiplier == 0.25)
    }

    @Test func noSurvivorMeansNoTrade() {
        let outcome = game.play(action: 1, forecastReturn: 0.0001, horizonVolatility: 0.01, recentMove: 1, posterior: uniform)
        #expect(outcome.survivors.isEmpty && !outcome.isKept)
        #expect(outcome.minimaxMultiplier == 0 && outcome.updatedPosterior == [0, 0, 0, 0])
    }

    @Test func multiplierStaysInRangeAndGrowsWithTheEdge() {
        var last = -1.0
        for k in 0...40 {
            let r = Double(k) * 0.0005
            let outcome = game.play(action: 1, forecastReturn: r, horizonVolatility: 0.01, recentMove: -1, posterior: uniform)
            #expect(outcome.minimaxMultiplier >= 0 && outcome.minimaxMultiplier <= 1)
            #expect(outcome.minimaxMultiplier >= last - 1e-12)
            last = outcome.minimaxMultiplier
        }
        #expect(last == 1)
    }

    @Test func marketTypePosteriorFollowsTheProfiles() {
        let model = MarketTypeModel(persistence: 0.5)
        for type in MarketType.allCases {
            let p = MarketTypeModel.profiles[type.rawValue]
            let posterior = model.posterior(.init(trendStrength: p[0], volatilityOfVolatility: p[1], bandwidth: p[2], rsiExtremity: p[3],
                                                  bollingerStretch: p[4], turbulence: p[5]), previous: nil)
            #expect(posterior.indices.max { posterior[$0] < posterior[$1] } == type.rawValue, "\(type)")
            #expect(abs(posterior.reduce(0, +) - 1) < 1e-12)
        }
        // A missing observable is left out: the posterior equals the one from the other observables alone.
        let partial = model.posterior(.init(trendStrength: 1, volatilityOfVolatility: 0, bandwidth: 0.5, rsiExtremity: 0.5,
                                            bollingerStretch: nil, turbulence: nil), previous: nil)
        let fourOnly = MarketTypeModel.profiles.map { Array($0.prefix(4)) }
        let logs = fourOnly.map { profile in zip([1.0, 0, 0.5, 0.5], profile).reduce(0.0) { $0 - 0.5 * ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let weights = logs.map { exp($0) }
        let total = weights.reduce(0, +)
        for (a, b) in zip(partial, weights.map { $0 / total }) { #expect(abs(a - b) < 1e-12) }
        // Persistence: a strong prior on range softens the evidence for trend.
        let trendish = MarketTypeModel.Observables(trendStrength: 1, volatilityOfVolatility: 0, bandwidth: 0.5, rsiExtremity: 0.5)
        let fresh = model.posterior(trendish, previous: nil)
        let sticky = model.posterior(trendish, previous: [0, 1, 0, 0])
        #expect(sticky[MarketType.range.rawValue] > fresh[MarketType.range.rawValue])
    }
}

@Suite struct SizingGameTests {
    /// The multiplier, the trader's equilibrium size in the zero-sum sizing game solved by support
    /// enumeration, equals the direct maximin worked here: nature's dominant column is the type with
    /// the smallest margin, and the best grid size against it (ties to the smaller), on random payoffs.
    @Test func directMaximinEqualsTheZeroSumSolution() {
        var rng = SeededGenerator(seed: 12)
        let game = SignalingGame()
        for _ in 0..<300 {
            let posterior = [0.25, 0.25, 0.25, 0.25]
            let action: Double = rng.next() % 2 == 0 ? 1 : -1
            let move: Double = rng.next() % 2 == 0 ? 1 : -1
            let forecast: Double = rng.nextNormal() * 0.02
            let outcome = game.play(action: action, forecastReturn: forecast, horizonVolatility: 0.01, recentMove: move,
                                    posterior: posterior)
            guard outcome.isKept else { continue }
            let zeroSum = SignalingGame.zeroSumGame(m: outcome.deviationPayoffs, x: outcome.equilibriumPayoffs,
                                                    survivors: outcome.survivors)
            let equilibria = NashEquilibriumSolver.solve(zeroSum)
            #expect(!equilibria.isEmpty)
            // The game's value equals the direct maximin's guaranteed payoff.
            let s = outcome.minimaxMultiplier
            let margins: [Double] = outcome.survivors.map { outcome.deviationPayoffs[$0.rawValue] - outcome.equilibriumPayoffs[$0.rawValue] }
            let worst: Double = margins.min()!
            let guaranteed: Double = s * worst - 0.5 * s * s
            #expect(abs(equilibria[0].rowPayoff - guaranteed) < 1e-9)
            let direct = SignalingGame.sizeGrid.reduce(0.0) { best, size in
                size * worst - 0.5 * size * size > best * worst - 0.5 * best * best + 1e-12 ? size : best
            }
            #expect(s == direct, "margins \(margins)")
        }
    }
}

import Foundation
