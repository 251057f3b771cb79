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

    /// The posterior for standardized observables `z`, given the previous posterior. Works in the
    /// result's own storage (it runs every bar).
    public func posterior(_ z: Observables, previous: [Double]?) -> [Double] {
        let count = MarketType.allCases.count
        let uniform = 1.0 / Double(count)
        var result = [Double](repeating: 0, count: count)
        var top = -Double.infinity
        for type in 0..<count {
            let prior = previous.map { persistence * $0[type] + (1 - persistence) * uniform } ?? uniform
            var total = Foundationless.log(max(prior, 1e-300))
            let profile = Self.profiles[type]
            func add(_ value: Double?, _ feature: Int) {
                guard let value else { return }
                total -= 0.5 * (value - profile[feature]) * (value - profile[feature])
            }
            add(z.trendStrength, 0)
            add(z.volatilityOfVolatility, 1)
            add(z.bandwidth, 2)
            add(z.rsiExtremity, 3)
            add(z.bollingerStretch, 4)
            add(z.turbulence, 5)
            result[type] = total
            if type == 0 || top < total { top = total }
        }
        var sum = 0.0
        for type in 0..<count {
            result[type] = Foundationless.exp(result[type] - top)
            sum += result[type]
        }
        for type in 0..<count { result[type] /= sum }
        return result
    }
}
