import PeregrineCore

/// The market as a signaling game: nature draws a market type, the market sends a signal (the
/// move our indicators read), and the trader decides whether acting on it is rational.
///
/// Payoffs to the trader, in units of the horizon volatility σ (so they compare across assets),
/// for action A (+1 buy, −1 sell) with forecast cumulative return R over the horizon and the
/// recent move's direction D (+1 up, −1 down):
///
///     m(t, A) = A · d_t · R/σ − κ_t + λ_t · [A·D < 0] − φ_t · [A·D > 0]
///     x(t)    = ρ_t
///
/// d_t damps (or reverses) the forecast under type t, κ_t is the cost of being hunted by informed
/// traders (stops run, adverse selection), λ_t the liquidity profit of fading a move, φ_t the
/// manipulator's take from followers, and x(t) the payoff the trader is assured in equilibrium by
/// staying out, a required premium per type.
///
/// Intuitive criterion (Cho-Kreps): type t is eliminated when m(t, A) < x(t), since it would never
/// gain from this deviation; the signal is kept only if some type survives, and beliefs are
/// restricted to the survivors. Sizing: a zero-sum game of the trader's size s ∈ {0, ¼, ½, ¾, 1}
/// against nature's choice of surviving type, payoff s·(m(t, A) − x(t)) − ½s²; the multiplier is the
/// expected size under the trader's maximin mixed strategy, in [0, 1].
public struct SignalingGame: Sendable {
    public struct TypeParameters: Sendable, Equatable {
        public var damping: Double
        public var huntingCost: Double
        public var liquidityProfit: Double
        public var manipulatorTake: Double
        public var requiredPremium: Double

        public init(damping: Double, huntingCost: Double, liquidityProfit: Double, manipulatorTake: Double,
                    requiredPremium: Double) {
            self.damping = damping
            self.huntingCost = huntingCost
            self.liquidityProfit = liquidityProfit
            self.manipulatorTake = manipulatorTake
            self.requiredPremium = requiredPremium
        }
    }

    /// Per type, in `MarketType` order.
    public var parameters: [TypeParameters]

    public static let standard: [TypeParameters] = [
        TypeParameters(damping: 1.0, huntingCost: 0.05, liquidityProfit: 0, manipulatorTake: 0, requiredPremium: 0.05),
        TypeParameters(damping: -0.5, huntingCost: 0.10, liquidityProfit: 0.15, manipulatorTake: 0, requiredPremium: 0.05),
        TypeParameters(damping: 0.0, huntingCost: 0.60, liquidityProfit: 0, manipulatorTake: 0.40, requiredPremium: 0.20),
        TypeParameters(damping: -1.0, huntingCost: 0.30, liquidityProfit: 0.05, manipulatorTake: 0, requiredPremium: 0.10),
    ]

    public init(parameters: [TypeParameters] = SignalingGame.standard) {
        precondition(parameters.count == MarketType.allCases.count)
        self.parameters = parameters
    }

    public struct Outcome: Sendable, Equatable {
        public var equilibriumPayoffs: [Double]
        public var deviationPayoffs: [Double]
        public var survivors: [MarketType]
        /// Beliefs restricted to the survivors (all zero when none survives).
        public var updatedPosterior: [Double]
        /// Expected cumulative return under the updated beliefs, in σ units, signed by the action.
        public var expectedEdge: Double
        public var minimaxMultiplier: Double
        public var isKept: Bool { !survivors.isEmpty }
    }

    /// - Parameters:
    ///   - action: +1 to buy, −1 to sell.
    ///   - forecastReturn: cumulative expected return over the horizon.
    ///   - horizonVolatility: standard deviation of that return (σ).
    ///   - recentMove: sign of the move that produced the signal.
    public func play(action: Double, forecastReturn: Double, horizonVolatility: Double, recentMove: Double,
                     posterior: [Double]) -> Outcome {
        precondition(posterior.count == parameters.count)
        let sigma = max(horizonVolatility, 1e-12)
        let follows = action * recentMove > 0
        let fades = action * recentMove < 0
        let x = parameters.map(\.requiredPremium)
        let m = parameters.map { p in
            action * p.damping * forecastReturn / sigma - p.huntingCost + (fades ? p.liquidityProfit : 0)
                - (follows ? p.manipulatorTake : 0)
        }
        let survivors = MarketType.allCases.filter { m[$0.rawValue] >= x[$0.rawValue] }
        var updated = Array(repeating: 0.0, count: parameters.count)
        let mass = survivors.reduce(0) { $0 + posterior[$1.rawValue] }
        if mass > 0 { for t in survivors { updated[t.rawValue] = posterior[t.rawValue] / mass } }
        if mass == 0 && !survivors.isEmpty { for t in survivors { updated[t.rawValue] = 1 / Double(survivors.count) } }
        let edge = MarketType.allCases.reduce(0) { $0 + updated[$1.rawValue] * action * parameters[$1.rawValue].damping }
            * forecastReturn / sigma
        return Outcome(equilibriumPayoffs: x, deviationPayoffs: m, survivors: survivors, updatedPosterior: updated,
                       expectedEdge: edge, minimaxMultiplier: Self.minimaxMultiplier(m: m, x: x, survivors: survivors))
    }

    static let sizes: [Double] = [0, 0.25, 0.5, 0.75, 1]

    /// The trader's maximin size against nature's choice of surviving type: the sizing game
    /// (`zeroSumGame`) at its equilibria, the trader's equilibrium strategy's expected size (of equally
    /// valuable equilibria, the one with the smallest). For any size s ≥ 0 the payoff s·e − ½s² is
    /// lowest for the type with the smallest e = m − x, so nature has a dominant pure strategy; in a
    /// zero-sum game every equilibrium's row strategy is a maximin one, so when the best grid size
    /// against that type is clear (`clearMaximinSize`) it is the answer. Otherwise (two surviving
    /// types, or two sizes, within a hair of each other) `NashEquilibriumSolver` decides.
    static func minimaxMultiplier(m: [Double], x: [Double], survivors: [MarketType]) -> Double {
        clearMaximinSize(m: m, x: x, survivors: survivors) ?? solvedMinimaxMultiplier(m: m, x: x, survivors: survivors)
    }

    /// Gaps below this share of the game's scale (max(1, largest e)) make the game too close to
    /// degenerate for the direct answer: the solver's support enumeration, with its absolute 1e-9
    /// equilibrium tolerance, may then also accept mixed row strategies, which only it can rank.
    static let clearGap = 1e-4

    /// The best grid size against the surviving type with the smallest margin e = m − x, when every
    /// two surviving margins differ by more than `clearGap` of the scale, the best size's payoff beats
    /// every other size's by as much, and every margin is finite and at most 1e6; nil otherwise. Then
    /// the only equilibria support enumeration can find are that size against that type (a mixed
    /// row strategy would have to make two distinct margins' columns indifferent, so its expected size
    /// is 0 up to rounding far below the answer's 1e-9 rounding), so this equals `solvedMinimaxMultiplier`,
    /// which the tests check on many games, near-degenerate ones included.
    static func clearMaximinSize(m: [Double], x: [Double], survivors: [MarketType]) -> Double? {
        guard !survivors.isEmpty else { return 0 }
        var worst = Double.infinity
        var largest = 0.0
        for t in survivors {
            let e = m[t.rawValue] - x[t.rawValue]
            guard e.isFinite, abs(e) <= 1e6 else { return nil }
            worst = min(worst, e)
            largest = max(largest, abs(e))
        }
        let scale = max(1, largest)
        for (i, a) in survivors.enumerated() {
            for b in survivors[(i + 1)...] {
                let gap = (m[a.rawValue] - x[a.rawValue]) - (m[b.rawValue] - x[b.rawValue])
                guard abs(gap) > clearGap * scale else { return nil }
            }
        }
        var best = 0.0
        var bestValue = -Double.infinity
        var runnerUp = -Double.infinity
        for s in sizes {
            let value = s * worst - 0.5 * s * s
            if value > bestValue {
                runnerUp = bestValue
                best = s
                bestValue = value
            } else if value > runnerUp {
                runnerUp = value
            }
        }
        guard bestValue - runnerUp > clearGap * scale else { return nil }
        return best
    }

    /// The sizing game solved for its equilibria by `NashEquilibriumSolver`; the direct rule (best
    /// grid size against the worst type, ties to the smaller) stands in should it find none.
    static func solvedMinimaxMultiplier(m: [Double], x: [Double], survivors: [MarketType]) -> Double {
        guard let worst = survivors.map({ m[$0.rawValue] - x[$0.rawValue] }).min(), worst.isFinite else { return 0 }
        let equilibria = NashEquilibriumSolver.solve(zeroSumGame(m: m, x: x, survivors: survivors))
        if let value = equilibria.map(\.rowPayoff).max() {
            let sizes = equilibria.filter { $0.rowPayoff >= value - 1e-12 }.map { zip($0.row, Self.sizes).reduce(0.0) { $0 + $1.0 * $1.1 } }
            // The solver's probabilities carry rounding (a pure 1 may come out 0.9999999999999999).
            if let smallest = sizes.min() { return min(1, max(0, (smallest * 1e9).rounded() / 1e9)) }
        }
        var best = 0.0
        var bestValue = 0.0
        for s in sizes where s * worst - 0.5 * s * s > bestValue + 1e-12 {
            best = s
            bestValue = s * worst - 0.5 * s * s
        }
        return best
    }

    /// The sizing game as a zero-sum bimatrix game: rows are sizes, columns surviving types.
    public static func zeroSumGame(m: [Double], x: [Double], survivors: [MarketType]) -> BimatrixGame {
        BimatrixGame(zeroSum: sizes.map { s in survivors.map { t in s * (m[t.rawValue] - x[t.rawValue]) - 0.5 * s * s } })
    }

    public static let sizeGrid = sizes
}
