import PeregrineCore
import PeregrineRisk
import Testing

@Suite struct SizingPolicyTests {
    func policy(_ method: SizingPolicy.Method) -> SizingPolicy {
        var p = SizingPolicy()
        p.method = method
        return p
    }

    @Test func eachMethodByHand() {
        let none = SizingPolicy.TradeStats()
        #expect(policy(.strategy).units(equity: 100_000, price: 50, stats: none) == nil)
        #expect(policy(.quantity).units(equity: 100_000, price: 50, stats: none) == 100)
        #expect(policy(.notional).units(equity: 100_000, price: 50, stats: none) == 200)  // 10,000 / 50
        #expect(policy(.percent).units(equity: 100_000, price: 50, stats: none) == 200)   // 10% of 100,000 / 50
        // 1% of equity lost over a 2% stop: a 50,000 notional, 1,000 units at 50.
        #expect(abs(policy(.fixedFractional).units(equity: 100_000, price: 50, stats: none)! - 1_000) < 1e-9)
        var capped = policy(.fixedFractional)
        capped.maxPosition = 0.25
        #expect(abs(capped.units(equity: 100_000, price: 50, stats: none)! - 500) < 1e-9)
    }

    @Test func volatilityTargetScalesAShareOfEquity() {
        var p = policy(.volatilityTarget)
        p.percent = 0.5
        p.volatilityTarget = 0.15
        let none = SizingPolicy.TradeStats()
        // 30% volatility halves the base (50,000 of 100,000 -> 25,000, 500 units at 50); 10% would
        // scale it 1.5x but leverage is capped at 1; no volatility known sizes to zero.
        #expect(abs(p.units(equity: 100_000, price: 50, stats: none, annualVolatility: 0.3)! - 500) < 1e-9)
        #expect(abs(p.units(equity: 100_000, price: 50, stats: none, annualVolatility: 0.1)! - 1_000) < 1e-9)
        p.maxLeverage = 2
        #expect(abs(p.units(equity: 100_000, price: 50, stats: none, annualVolatility: 0.1)! - 1_500) < 1e-9)
        #expect(p.units(equity: 100_000, price: 50, stats: none, annualVolatility: nil) == 0)
    }

    /// Six wins of +4% and four losses of −2%: p = 7/12, b = 2, Kelly p − (1 − p)/b = 0.375, a quarter 0.09375.
    @Test func kellyFromTheClosedTrades() {
        var stats = SizingPolicy.TradeStats()
        for r in [0.04, -0.02, 0.04, 0.04, -0.02, 0.04, -0.02, 0.04, -0.02, 0.04] { stats.record(returnOnEntry: r) }
        #expect(stats.count == 10 && stats.wins == 6 && abs(stats.winProbability - 7.0 / 12) < 1e-12 && abs(stats.payoffRatio! - 2) < 1e-12)
        var kelly = policy(.kelly)
        kelly.minTrades = 10
        #expect(abs(kelly.kellyShare(stats) - 0.25 * (7.0 / 12 - (5.0 / 12) / 2)) < 1e-12)
        #expect(abs(kelly.units(equity: 100_000, price: 50, stats: stats)! - 100_000 * 0.25 * (7.0 / 12 - 5.0 / 24) / 50) < 1e-9)
        kelly.minTrades = 11  // not enough trades yet: the fallback percent
        #expect(kelly.kellyShare(stats) == 0.1)
        // Sample mean and deviation of the returns, by hand: mean 0.016, sd of {0.04 x6, -0.02 x4}.
        let mean = 0.016, sd = ((6 * 0.024 * 0.024 + 4 * 0.036 * 0.036) / 9).squareRoot()
        #expect(abs(stats.mean - mean) < 1e-12 && abs(stats.standardDeviation - sd) < 1e-12)
        kelly.minTrades = 10
        kelly.utility = .targetHitting
        kelly.maxPosition = 1
        #expect(kelly.kellyShare(stats) == PositionSizer.fraction(utility: .targetHitting, mu: mean, sigma: stats.standardDeviation,
                                                                   maxFraction: 1, targetHitting: kelly.targetHitting))
        // Losing trades only: no bet.
        var losing = SizingPolicy.TradeStats()
        for _ in 0..<25 { losing.record(returnOnEntry: -0.01) }
        #expect(policy(.kelly).kellyShare(losing) == 0)
    }
}
