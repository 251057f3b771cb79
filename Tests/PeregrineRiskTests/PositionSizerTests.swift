import PeregrineCore
import PeregrineRisk
import Testing

@Suite struct PositionSizerTests {
    @Test func sizesByHand() {
        #expect(PositionSizer.fixedNotional(5_000) == 5_000)
        #expect(PositionSizer.percentOfEquity(200_000, fraction: 0.1) == 20_000)
        // Risk 1% of 100,000 with a stop 5% below: 20,000 of notional loses 1,000 at the stop.
        #expect(abs(PositionSizer.fixedFractional(equity: 100_000, riskFraction: 0.01, entry: 50, stop: 47.5) - 20_000) < 1e-9)
        // Kelly: p = 0.6, b = 1 -> 0.2; quarter Kelly 0.05; a losing bet gives 0.
        #expect(abs(PositionSizer.kelly(winProbability: 0.6, payoffRatio: 1, fraction: 1) - 0.2) < 1e-15)
        #expect(abs(PositionSizer.kelly(winProbability: 0.6, payoffRatio: 1) - 0.05) < 1e-15)
        #expect(PositionSizer.kelly(winProbability: 0.4, payoffRatio: 1) == 0)
        #expect(abs(PositionSizer.volatilityTarget(base: 10_000, target: 0.1, annualVolatility: 0.2) - 5_000) < 1e-9)
        #expect(PositionSizer.volatilityTarget(base: 10_000, target: 0.4, annualVolatility: 0.2, maxLeverage: 1.5) == 15_000)
    }

    @Test func logUtilityIsTheContinuousKellyFraction() {
        #expect(abs(PositionSizer.fraction(utility: .logarithmic, mu: 0.0004, sigma: 0.02) - 1) < 1e-12)  // μ/σ² = 1
        #expect(abs(PositionSizer.fraction(utility: .logarithmic, mu: 0.0002, sigma: 0.02) - 0.5) < 1e-12)
        #expect(PositionSizer.fraction(utility: .logarithmic, mu: -0.001, sigma: 0.02) == 0)
    }

    /// Target hitting within a horizon: the chosen fraction beats every other grid fraction on the
    /// same shocks, and a shorter horizon asks for a bolder bet to get there in time.
    @Test func targetHittingChoosesTheMostLikelyFractionAndDependsOnTheHorizon() {
        var settings = PositionSizer.TargetHitting()
        settings.target = 1.2
        settings.ruin = 0.8
        settings.horizon = 252
        settings.paths = 2_000
        let mu = 0.0008, sigma = 0.02
        let f = PositionSizer.fraction(utility: .targetHitting, mu: mu, sigma: sigma, maxFraction: 3, targetHitting: settings)
        var generator = SeededGenerator(seed: settings.seed)
        let shocks = (0..<(settings.paths * settings.horizon)).map { _ in generator.nextNormal() }
        let chosen = PositionSizer.hittingProbability(fraction: f, mu: mu, sigma: sigma, settings: settings, shocks: shocks)
        for step in 1...50 {
            let other = 3 * Double(step) / 50
            #expect(chosen >= PositionSizer.hittingProbability(fraction: other, mu: mu, sigma: sigma, settings: settings, shocks: shocks))
        }
        var short = settings
        short.horizon = 40
        let bolder = PositionSizer.fraction(utility: .targetHitting, mu: mu, sigma: sigma, maxFraction: 3, targetHitting: short)
        #expect(bolder > f, "horizon 40: \(bolder), horizon 252: \(f)")
        #expect(PositionSizer.fraction(utility: .targetHitting, mu: -0.001, sigma: sigma) == 0)
    }
}

import Foundation
