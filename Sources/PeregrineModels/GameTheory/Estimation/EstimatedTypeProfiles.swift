import PeregrineCore

/// The market types as history shows them (see `MarketTypeEstimator` for how each figure is
/// estimated): how often each type occurs and how long it lasts, what its observables and signals
/// look like, how much of a forecast it realizes and how long a move persists under it, by regime,
/// and what it costs or pays a trader. Indexed by `MarketType.rawValue`; the regime index is the HMM's
/// state (0 bear, 1 sideways, 2 bull), with index 3 holding the type's figure over all regimes.
public struct EstimatedTypeProfiles: Sendable, Equatable {
    /// Labelled bars per type.
    public var counts: [Int]
    /// P(type), Laplace-smoothed label frequencies.
    public var baseRates: [Double]
    /// ψ: the weight of the previous posterior in the next prior (a type either stays, with probability
    /// ψ, or is drawn afresh from the base rates).
    public var typePersistence: Double
    /// Mean and variance of each observable given the type, [type][feature].
    public var featureMeans: [[Double]]
    public var featureVariances: [[Double]]
    /// P(signal kind | type), [type][`SignalKind.rawValue`].
    public var kindProbabilities: [[Double]]
    /// d: realized next return per unit of one-step forecast, [type][regime or 3 for all].
    public var damping: [[Double]]
    /// φ: lag-one autocorrelation of returns after the bar, [type][regime or 3 for all].
    public var persistence: [[Double]]
    /// κ, λ, ν in units of σ_H: the hunting cost (the smaller side of the two-way excursion any position
    /// sits through), the liquidity profit (what fading the move earned), the manipulator's net payoff
    /// (what following the move lost, net; never below zero).
    public var huntingCost: [Double]
    public var liquidityProfit: [Double]
    public var manipulatorPayoff: [Double]

    public init(counts: [Int], baseRates: [Double], typePersistence: Double, featureMeans: [[Double]], featureVariances: [[Double]],
                kindProbabilities: [[Double]], damping: [[Double]], persistence: [[Double]], huntingCost: [Double],
                liquidityProfit: [Double], manipulatorPayoff: [Double]) {
        self.counts = counts
        self.baseRates = baseRates
        self.typePersistence = typePersistence
        self.featureMeans = featureMeans
        self.featureVariances = featureVariances
        self.kindProbabilities = kindProbabilities
        self.damping = damping
        self.persistence = persistence
        self.huntingCost = huntingCost
        self.liquidityProfit = liquidityProfit
        self.manipulatorPayoff = manipulatorPayoff
    }

    /// A per-regime figure mixed by the regime probabilities (the all-regime figure without them).
    static func mixed(_ byRegime: [Double], _ regime: [Double]?) -> Double {
        guard let regime, regime.count == 3 else { return byRegime[3] }
        return (0..<3).reduce(0.0) { $0 + regime[$1] * byRegime[$1] }
    }

    public func damping(_ type: MarketType, regime: [Double]?) -> Double { Self.mixed(damping[type.rawValue], regime) }
    public func persistence(_ type: MarketType, regime: [Double]?) -> Double { Self.mixed(persistence[type.rawValue], regime) }

    /// P(type | observables, signal kind), with the previous posterior carried by `typePersistence`:
    ///
    ///     prior(t) = ψ · previous(t) + (1 − ψ) · base(t)      (base(t) alone without a previous posterior)
    ///     P(t | x, k) ∝ prior(t) · P(k | t) · Π_f N(x_f; μ_{t,f}, v_{t,f})
    public func posterior(features: [Double], kind: SignalKind, previous: [Double]?) -> [Double] {
        let logs = MarketType.allCases.map { type -> Double in
            let t = type.rawValue
            let prior = previous.map { typePersistence * $0[t] + (1 - typePersistence) * baseRates[t] } ?? baseRates[t]
            var total = Foundationless.log(max(prior, 1e-300)) + Foundationless.log(max(kindProbabilities[t][kind.rawValue], 1e-300))
            for f in features.indices where features[f].isFinite {
                total += NormalDistribution.logDensity(features[f], mean: featureMeans[t][f], variance: featureVariances[t][f])
            }
            return total
        }
        let top = logs.max() ?? 0
        let weights = logs.map { Foundationless.exp($0 - top) }
        let sum = weights.reduce(0, +)
        guard sum > 0, sum.isFinite else { return baseRates }
        return weights.map { $0 / sum }
    }
}
