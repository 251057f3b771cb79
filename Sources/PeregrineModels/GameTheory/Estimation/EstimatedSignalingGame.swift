import PeregrineCore

/// The signaling game with payoffs computed from forecasts and estimated type profiles (the form the
/// signal engine uses by default; `SignalingGame` is the earlier form with fixed payoffs). For action A
/// (+1 buy, −1 sell), one-step forecast μ₁, the signal's price target as a log return T (the cumulative
/// forecast over the horizon H), its volatility σ_H, the recent move's sign D, and per type t the
/// regime-mixed damping d_t and persistence φ_t (`EstimatedTypeProfiles`):
///
///     X_t     = Σ_{h=1..H} δ^{h−1} · d_t · μ₁ · φ_t^{h−1}      expected move under t, discounted
///     x(t)    = max(0, −A · X_t / σ_H)                          equilibrium payoff
///     m(t, A) = A · d_t · T / σ_H − κ_t + λ_t·[A·D < 0] − ν_t·[A·D > 0]    deviation payoff
///
/// x(t) is what a trader can have under type t without acting on the signal: stay out (0) or take the
/// side type t's own dynamics favour. m(t, A) is what acting on the signal's target pays under type t,
/// less the cost of being hunted, plus the liquidity profit of fading, less what a manipulator takes
/// from followers. Type t is eliminated when m(t, A) < x(t) (the intuitive criterion); beliefs are
/// restricted to the survivors, the expected edge is Σ p′(t)·m(t, A) over them, and the minimax
/// multiplier is the maximin size of `SignalingGame`'s sizing game on m − x: how well acting agrees
/// with every surviving type.
public struct EstimatedSignalingGame: Sendable {
    public var profiles: EstimatedTypeProfiles
    public var horizon: Int
    /// δ: the per-step discount of the expected move.
    public var discount: Double

    public init(profiles: EstimatedTypeProfiles, horizon: Int, discount: Double) {
        self.profiles = profiles
        self.horizon = horizon
        self.discount = discount
    }

    /// X_t: the expected log move over the horizon under type t, discounted.
    public func expectedMove(_ type: MarketType, oneStepForecast: Double, regime: [Double]?) -> Double {
        let d = profiles.damping(type, regime: regime)
        let phi = profiles.persistence(type, regime: regime)
        var total = 0.0
        var weight = 1.0
        for _ in 0..<horizon {
            total += weight * d * oneStepForecast
            weight *= discount * phi
        }
        return total
    }

    public func equilibriumPayoff(_ type: MarketType, action: Double, oneStepForecast: Double, horizonVolatility: Double,
                                  regime: [Double]?) -> Double {
        max(0, -action * expectedMove(type, oneStepForecast: oneStepForecast, regime: regime) / max(horizonVolatility, 1e-12))
    }

    public func deviationPayoff(_ type: MarketType, action: Double, target: Double, horizonVolatility: Double, recentMove: Double,
                                regime: [Double]?) -> Double {
        let t = type.rawValue
        let d = profiles.damping(type, regime: regime)
        let follows = action * recentMove > 0
        let fades = action * recentMove < 0
        return action * d * target / max(horizonVolatility, 1e-12) - profiles.huntingCost[t]
            + (fades ? profiles.liquidityProfit[t] : 0) - (follows ? profiles.manipulatorPayoff[t] : 0)
    }

    public func play(action: Double, oneStepForecast: Double, target: Double, horizonVolatility: Double, recentMove: Double,
                     regime: [Double]?, posterior: [Double]) -> SignalingGame.Outcome {
        let x = MarketType.allCases.map {
            equilibriumPayoff($0, action: action, oneStepForecast: oneStepForecast, horizonVolatility: horizonVolatility, regime: regime)
        }
        let m = MarketType.allCases.map {
            deviationPayoff($0, action: action, target: target, horizonVolatility: horizonVolatility, recentMove: recentMove, regime: regime)
        }
        let survivors = MarketType.allCases.filter { m[$0.rawValue] >= x[$0.rawValue] }
        var updated = Array(repeating: 0.0, count: x.count)
        let mass = survivors.reduce(0) { $0 + posterior[$1.rawValue] }
        for t in survivors { updated[t.rawValue] = mass > 0 ? posterior[t.rawValue] / mass : 1 / Double(survivors.count) }
        let edge = survivors.reduce(0.0) { $0 + updated[$1.rawValue] * m[$1.rawValue] }
        return SignalingGame.Outcome(equilibriumPayoffs: x, deviationPayoffs: m, survivors: survivors, updatedPosterior: updated,
                                     expectedEdge: edge, minimaxMultiplier: SignalingGame.minimaxMultiplier(m: m, x: x, survivors: survivors))
    }
}
