import PeregrineCore

/// How much to buy or sell, in currency (notional); callers divide by the price and round to the lot.
public enum PositionSizer {
    /// A fixed amount of money per trade.
    public static func fixedNotional(_ amount: Double) -> Double { amount }

    /// A share of equity.
    public static func percentOfEquity(_ equity: Double, fraction: Double) -> Double { equity * fraction }

    /// Fixed-fractional risk: the notional whose loss at the stop is `riskFraction` of equity,
    /// notional = equity · risk / (|entry − stop| / entry).
    public static func fixedFractional(equity: Double, riskFraction: Double, entry: Double, stop: Double) -> Double {
        let distance = abs(entry - stop) / entry
        guard distance > 0 else { return 0 }
        return equity * riskFraction / distance
    }

    /// Kelly fraction for win probability p and payoff ratio b (win b per unit lost): p − (1 − p)/b,
    /// never negative. `fraction` scales it (¼ by default, quarter Kelly).
    public static func kelly(winProbability p: Double, payoffRatio b: Double, fraction: Double = 0.25) -> Double {
        guard b > 0 else { return 0 }
        return max(0, p - (1 - p) / b) * fraction
    }

    /// Scales a base notional so the position's annualized volatility is `target`, at most
    /// `maxLeverage` times the base.
    public static func volatilityTarget(base: Double, target: Double, annualVolatility: Double, maxLeverage: Double = 1) -> Double {
        guard annualVolatility > 0 else { return 0 }
        return base * min(maxLeverage, target / annualVolatility)
    }

    /// Which utility chooses the fraction of wealth at risk.
    public enum Utility: String, Sendable, CaseIterable {
        /// Maximize expected log wealth (Kelly growth): f* = μ / σ² for a continuous bet.
        case logarithmic
        /// Maximize the probability of reaching `target` × wealth before falling to `ruin` × wealth
        /// within `horizon` periods.
        case targetHitting
    }

    /// Settings of the target-hitting utility.
    public struct TargetHitting: Sendable, Equatable {
        public var target = 1.5
        public var ruin = 0.5
        /// Periods allowed to reach the target. Without a horizon the probability rises as the bet
        /// shrinks (a tiny bet eventually reaches any target), so the horizon is what makes it a choice.
        public var horizon = 252
        public var paths = 1_000
        public var seed: UInt64 = 0
        public init() {}
    }

    /// The fraction of wealth to hold in a bet with per-period drift `mu` and volatility `sigma`.
    /// Log utility: μ/σ², capped at `maxFraction`. Target hitting: log wealth under fraction f moves
    /// by fμ − ½f²σ² + fσZ a period; the fraction (on a grid of 50 steps up to `maxFraction`) with the
    /// most seeded paths reaching log(target) before log(ruin) within the horizon wins, every fraction
    /// judged on the same shocks.
    public static func fraction(utility: Utility, mu: Double, sigma: Double, maxFraction: Double = 1,
                                targetHitting settings: TargetHitting = TargetHitting()) -> Double {
        guard sigma > 0, mu > 0 else { return 0 }
        switch utility {
        case .logarithmic:
            return min(maxFraction, mu / (sigma * sigma))
        case .targetHitting:
            var generator = SeededGenerator(seed: settings.seed)
            let shocks = (0..<(settings.paths * settings.horizon)).map { _ in generator.nextNormal() }
            var best = 0.0
            var bestProbability = 0.0
            for step in 1...50 {
                let f = maxFraction * Double(step) / 50
                let probability = hittingProbability(fraction: f, mu: mu, sigma: sigma, settings: settings, shocks: shocks)
                if probability > bestProbability {
                    best = f
                    bestProbability = probability
                }
            }
            return best
        }
    }

    /// Share of the simulated paths (rows of `shocks`, `horizon` long) on which wealth under
    /// fraction f reaches the target before the ruin level.
    public static func hittingProbability(fraction f: Double, mu: Double, sigma: Double, settings: TargetHitting,
                                          shocks: [Double]) -> Double {
        let up = Foundationless.log(settings.target)
        let down = Foundationless.log(settings.ruin)
        let drift = f * mu - 0.5 * f * f * sigma * sigma
        let scale = f * sigma
        var hits = 0
        for path in 0..<settings.paths {
            var level = 0.0
            let base = path * settings.horizon
            for t in 0..<settings.horizon {
                level += drift + scale * shocks[base + t]
                if level >= up { hits += 1; break }
                if level <= down { break }
            }
        }
        return Double(hits) / Double(settings.paths)
    }
}
