import PeregrineCore

/// Posterior over market types from six observables, by a naive-Bayes Gaussian likelihood:
/// each observable is standardized (a z-score against its own recent history) and, given type t,
/// is normal with mean `profile[t]` and unit variance, independently of the others:
///
///     P(t | z) ∝ P(t) · Π_f N(z_f; μ_{t,f}, 1)
///
/// The profiles, in standard deviations (trend strength is |fast EMA − slow EMA| / ATR, volatility
/// of volatility the dispersion of recent ATR changes, bandwidth the Bollinger width over its
/// middle, RSI extremity |RSI − 50| / 50, Bollinger stretch |close − middle| / σ, turbulence the
/// HMM regime's expected variance over the average state variance):
///
/// | type        | trend strength | vol of vol | bandwidth | RSI extremity | BB stretch | turbulence |
/// | ---         | ---:           | ---:       | ---:      | ---:          | ---:       | ---:       |
/// | trend       | +1.0           |  0.0       | +0.5      | +0.5          | +0.5       |  0.0       |
/// | range       | −0.8           | −0.5       | −0.8      | −0.5          | −0.5       | −0.5       |
/// | manipulator |  0.0           | +1.5       | +0.5      | +1.0          | +1.0       | +1.0       |
/// | exhausted   | +0.8           | +0.5       | +1.0      | +1.5          | +1.5       | +0.5       |
///
/// An observable that is not available yet (the regime, while its model warms up) is left out of
/// the product rather than guessed. The prior is the previous posterior mixed with `persistence`
/// (types change slowly).
public struct MarketTypeModel: Sendable {
    public struct Observables: Sendable, Equatable {
        public var trendStrength: Double
        public var volatilityOfVolatility: Double
        public var bandwidth: Double
        public var rsiExtremity: Double
        public var bollingerStretch: Double?
        public var turbulence: Double?

        public init(trendStrength: Double, volatilityOfVolatility: Double, bandwidth: Double, rsiExtremity: Double,
                    bollingerStretch: Double? = nil, turbulence: Double? = nil) {
            self.trendStrength = trendStrength
            self.volatilityOfVolatility = volatilityOfVolatility
            self.bandwidth = bandwidth
            self.rsiExtremity = rsiExtremity
            self.bollingerStretch = bollingerStretch
            self.turbulence = turbulence
        }

        var values: [Double?] { [trendStrength, volatilityOfVolatility, bandwidth, rsiExtremity, bollingerStretch, turbulence] }
    }

    /// Mean standardized observable per type, rows in `MarketType` order.
    public static let profiles: [[Double]] = [
        [1.0, 0.0, 0.5, 0.5, 0.5, 0.0],
        [-0.8, -0.5, -0.8, -0.5, -0.5, -0.5],
        [0.0, 1.5, 0.5, 1.0, 1.0, 1.0],
        [0.8, 0.5, 1.0, 1.5, 1.5, 0.5],
    ]

    /// Weight of the previous posterior in the next prior; the rest is uniform.
    public var persistence: Double

    public init(persistence: Double = 0.8) {
        precondition(persistence >= 0 && persistence < 1)
        self.persistence = persistence
    }

    /// The posterior for standardized observables `z`, given the previous posterior.
    public func posterior(_ z: Observables, previous: [Double]?) -> [Double] {
        let uniform = 1.0 / Double(MarketType.allCases.count)
        let prior = previous.map { $0.map { persistence * $0 + (1 - persistence) * uniform } }
            ?? Array(repeating: uniform, count: MarketType.allCases.count)
        let logs = MarketType.allCases.map { type -> Double in
            var total = Foundationless.log(max(prior[type.rawValue], 1e-300))
            for (value, mean) in zip(z.values, Self.profiles[type.rawValue]) {
                guard let value else { continue }
                total -= 0.5 * (value - mean) * (value - mean)
            }
            return total
        }
        let top = logs.max()!
        let weights = logs.map { Foundationless.exp($0 - top) }
        let sum = weights.reduce(0, +)
        return weights.map { $0 / sum }
    }
}
