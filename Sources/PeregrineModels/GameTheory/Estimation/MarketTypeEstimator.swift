import PeregrineCore

/// Estimates `EstimatedTypeProfiles` from a run's own past: every bar the signal engine saw is kept
/// (close, high, low) with its observation, and a bar is labelled (`MarketTypeLabeler`) once the
/// `horizon` bars after it have been seen, so an estimate at bar n uses nothing after bar n.
///
/// The estimator, over the last `window` labelled bars (plain averages unless said otherwise; n_t is
/// the number of bars labelled t):
///
/// - base rate: (n_t + 1) / (N + 4); signal kind: (n_{t,k} + 1) / (n_t + 3);
/// - observables: the mean and variance (n − 1) per type (the pooled ones for a type with fewer than two
///   bars), each variance at least 10⁻⁴ of the pooled one;
/// - type persistence ψ from the share of consecutive labelled bars with the same label, s, which a
///   chain that stays with probability ψ or redraws from the base rates b gives as ψ + (1 − ψ)Σb²:
///   ψ = (s − Σb²) / (1 − Σb²), within [0, 0.99];
/// - damping d = Σ r₁μ₁ / Σ μ₁² (r₁ the next bar's log return, μ₁ the one-step forecast) and persistence
///   φ = Σ r₂r₁ / Σ r₁² (r₂ the return after it), least squares through the origin, per type and
///   regime, each shrunk toward the type's all-regime figure as (n·β + 20·β_all) / (n + 20); d within
///   [−3, 3], φ within [−0.95, 0.95]; a type with no bars takes the figure over all bars;
/// - frictions per bar in units of σ_H: hunting min(up, down excursion), liquidity max(0, −F·sign D),
///   follower's loss −F·sign D; κ and λ their means, ν the mean loss floored at zero.
///
/// Deterministic: the same bars give the same profiles (the regime that labels each bar comes from the
/// engine's HMM, which is fitted from a fixed seed).
public struct MarketTypeEstimator: Sendable {
    /// One labelled bar with the outcomes its estimates use.
    public struct Sample: Sendable, Equatable {
        public var observation: MarketTypeObservation
        public var label: MarketType
        /// Bar index, to tell consecutive bars.
        public var index: Int
        public var nextReturn: Double
        public var followingReturn: Double
        public var forwardMove: Double
        public var upExcursion: Double
        public var downExcursion: Double

        public init(observation: MarketTypeObservation, label: MarketType, index: Int, nextReturn: Double, followingReturn: Double,
                    forwardMove: Double, upExcursion: Double, downExcursion: Double) {
            self.observation = observation
            self.label = label
            self.index = index
            self.nextReturn = nextReturn
            self.followingReturn = followingReturn
            self.forwardMove = forwardMove
            self.upExcursion = upExcursion
            self.downExcursion = downExcursion
        }
    }

    public let horizon: Int
    public let window: Int
    /// Log close, high and low of every bar still needed, the first at bar `firstIndex`.
    private var logCloses: [Double] = []
    private var logHighs: [Double] = []
    private var logLows: [Double] = []
    private var firstIndex = 0
    private var observations: [(index: Int, observation: MarketTypeObservation)] = []

    public init(horizon: Int, window: Int) {
        precondition(horizon >= 1 && window >= 1)
        self.horizon = horizon
        self.window = window
    }

    /// Bars seen so far.
    public var barCount: Int { firstIndex + logCloses.count }

    /// Records the next bar; returns its index.
    @discardableResult
    public mutating func recordBar(close: Double, high: Double, low: Double) -> Int {
        logCloses.append(Foundationless.log(close))
        logHighs.append(Foundationless.log(max(high, close)))
        logLows.append(Foundationless.log(min(low, close)))
        return barCount - 1
    }

    /// Records the observation made at the last recorded bar.
    public mutating func recordObservation(_ observation: MarketTypeObservation) {
        observations.append((barCount - 1, observation))
        trim()
    }

    /// Keeps the last `window` observations that can be labelled and the bars they need.
    private mutating func trim() {
        let keep = window + horizon + 2
        guard observations.count > 2 * keep else { return }
        observations.removeFirst(observations.count - keep)
        let drop = observations[0].index - firstIndex
        if drop > 0 {
            logCloses.removeFirst(drop)
            logHighs.removeFirst(drop)
            logLows.removeFirst(drop)
            firstIndex += drop
        }
    }

    /// The observations whose outcomes have been seen (the H bars after them, and two returns), labelled;
    /// the last `window` of them.
    public func labelledSamples() -> [Sample] {
        let needed = max(horizon, 2)
        var samples: [Sample] = []
        for (index, observation) in observations where index + needed < barCount {
            let at = index - firstIndex
            guard at >= 0 else { continue }
            let close = logCloses[at]
            var up = 0.0
            var down = 0.0
            for step in 1...horizon {
                up = max(up, logHighs[at + step] - close)
                down = max(down, close - logLows[at + step])
            }
            let forward = logCloses[at + horizon] - close
            let label = MarketTypeLabeler.label(recentMove: observation.recentMove, forwardMove: forward, upExcursion: up,
                                                downExcursion: down, scale: observation.horizonVolatility)
            samples.append(Sample(observation: observation, label: label, index: index, nextReturn: logCloses[at + 1] - close,
                                  followingReturn: logCloses[at + 2] - logCloses[at + 1], forwardMove: forward,
                                  upExcursion: up, downExcursion: down))
        }
        return Array(samples.suffix(window))
    }

    /// The profiles from the bars seen so far; nil with fewer than `minimumSamples` labelled bars.
    public func estimate(minimumSamples: Int) -> EstimatedTypeProfiles? {
        let samples = labelledSamples()
        guard samples.count >= max(minimumSamples, 2) else { return nil }
        return Self.estimate(samples)
    }

    /// The estimator itself, on labelled bars (at least two).
    public static func estimate(_ samples: [Sample]) -> EstimatedTypeProfiles {
        let types = MarketType.allCases.count
        let featureCount = samples.first?.observation.features.count ?? MarketTypeObservation.featureNames.count
        let byType = MarketType.allCases.map { type in samples.filter { $0.label == type } }
        let counts = byType.map(\.count)
        let total = Double(samples.count)
        let baseRates = counts.map { (Double($0) + 1) / (total + Double(types)) }

        // Observables.
        func moments(_ group: [Sample]) -> (means: [Double], variances: [Double]) {
            let n = Double(group.count)
            let means = (0..<featureCount).map { f in group.reduce(0.0) { $0 + $1.observation.features[f] } / n }
            let variances = (0..<featureCount).map { f in
                group.reduce(0.0) { $0 + ($1.observation.features[f] - means[f]) * ($1.observation.features[f] - means[f]) } / max(n - 1, 1)
            }
            return (means, variances)
        }
        let pooled = moments(samples)
        var featureMeans: [[Double]] = []
        var featureVariances: [[Double]] = []
        for group in byType {
            let own = group.count >= 2 ? moments(group) : pooled
            featureMeans.append(own.means)
            featureVariances.append(zip(own.variances, pooled.variances).map { max($0, 1e-4 * $1, 1e-12) })
        }
        let kindProbabilities = byType.map { group in
            SignalKind.allCases.map { kind in
                (Double(group.filter { $0.observation.kind == kind }.count) + 1) / (Double(group.count) + Double(SignalKind.allCases.count))
            }
        }

        // Type persistence.
        var pairs = 0
        var stays = 0
        for k in samples.indices.dropFirst() where samples[k].index == samples[k - 1].index + 1 {
            pairs += 1
            if samples[k].label == samples[k - 1].label { stays += 1 }
        }
        let chance = baseRates.reduce(0) { $0 + $1 * $1 }
        let stay = pairs > 0 ? Double(stays) / Double(pairs) : chance
        let typePersistence = min(0.99, max(0, (stay - chance) / (1 - chance)))

        // Damping and persistence, by type and regime, shrunk toward the type's all-regime figure.
        func slope(_ group: [Sample], _ y: (Sample) -> Double, _ x: (Sample) -> Double) -> (value: Double, count: Int)? {
            let sxx = group.reduce(0.0) { $0 + x($1) * x($1) }
            guard sxx > 0, sxx.isFinite else { return nil }
            return (group.reduce(0.0) { $0 + y($1) * x($1) } / sxx, group.count)
        }
        func byRegime(_ y: @escaping (Sample) -> Double, _ x: @escaping (Sample) -> Double, limit: Double) -> [[Double]] {
            let overall = slope(samples, y, x)?.value ?? 0
            return byType.map { group in
                let all = slope(group, y, x)?.value ?? overall
                let clampedAll = min(limit, max(-limit, all))
                return (0..<3).map { regime -> Double in
                    guard let own = slope(group.filter { $0.observation.regime == regime }, y, x) else { return clampedAll }
                    let shrunk = (Double(own.count) * own.value + 20 * all) / (Double(own.count) + 20)
                    return min(limit, max(-limit, shrunk))
                } + [clampedAll]
            }
        }
        let damping = byRegime({ $0.nextReturn }, { $0.observation.oneStepForecast }, limit: 3)
        let persistence = byRegime({ $0.followingReturn }, { $0.nextReturn }, limit: 0.95)

        // Frictions.
        func mean(_ group: [Sample], _ value: (Sample) -> Double) -> Double {
            let usable = group.isEmpty ? samples : group
            return usable.reduce(0.0) { $0 + value($1) } / Double(usable.count)
        }
        func scale(_ s: Sample) -> Double { max(s.observation.horizonVolatility, 1e-12) }
        let huntingCost = byType.map { group in mean(group) { min($0.upExcursion, $0.downExcursion) / scale($0) } }
        let liquidityProfit = byType.map { group in mean(group) { max(0, -$0.forwardMove * $0.observation.moveSign) / scale($0) } }
        let manipulatorPayoff = byType.map { group in max(0, mean(group) { -$0.forwardMove * $0.observation.moveSign / scale($0) }) }

        return EstimatedTypeProfiles(counts: counts, baseRates: baseRates, typePersistence: typePersistence, featureMeans: featureMeans,
                                     featureVariances: featureVariances, kindProbabilities: kindProbabilities, damping: damping,
                                     persistence: persistence, huntingCost: huntingCost, liquidityProfit: liquidityProfit,
                                     manipulatorPayoff: manipulatorPayoff)
    }
}
