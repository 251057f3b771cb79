#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// MacKinnon's response surfaces for Dickey-Fuller and Engle-Granger tests, for one series (a unit-root
/// test) or two (a pair's residual). The approximate p-value is Φ of a polynomial in τ (MacKinnon 1994,
/// "Approximate asymptotic distribution functions for unit-root and cointegration tests", JBES 12(2),
/// tables 3 and 4: a quadratic below τ*, a cubic above it, 0 below τ_min and 1 above τ_max). Critical
/// values for a sample of T are β∞ + β₁/T + β₂/T² + β₃/T³ (MacKinnon 2010, "Critical values for
/// cointegration tests", Queen's economics working paper 1227, table 2).
public enum MacKinnon {
    /// The 1%, 5% and 10% critical values of τ.
    public struct CriticalValues: Sendable, Equatable {
        public var onePercent: Double
        public var fivePercent: Double
        public var tenPercent: Double

        public var all: [Double] { [onePercent, fivePercent, tenPercent] }
    }

    /// The number of series the tables cover (1: a unit root; 2: Engle-Granger on a pair).
    public static let seriesCovered = 1...2

    /// The asymptotic p-value of τ for `series` series (1 or 2).
    public static func pValue(_ statistic: Double, regression: AugmentedDickeyFuller.Regression, series: Int) -> Double {
        precondition(seriesCovered.contains(series), "MacKinnon's tables here cover 1 or 2 series")
        let bounds = Surface.bounds(regression)[series - 1]
        if statistic > bounds.maximum { return 1 }
        if statistic < bounds.minimum { return 0 }
        let coefficients = statistic <= bounds.star ? Surface.small(regression)[series - 1] : Surface.large(regression)[series - 1]
        var polynomial = 0.0
        for coefficient in coefficients.reversed() { polynomial = polynomial * statistic + coefficient }
        return 0.5 * erfc(-polynomial / 2.0.squareRoot())
    }

    /// Critical values for a sample of `observations` (nil: the asymptotic ones). With `.none` only one
    /// series is tabulated.
    public static func criticalValues(regression: AugmentedDickeyFuller.Regression, series: Int,
                                      observations: Int?) -> CriticalValues? {
        precondition(seriesCovered.contains(series), "MacKinnon's tables here cover 1 or 2 series")
        let table = Surface.critical(regression)
        guard series <= table.count else { return nil }
        let inverse = observations.map { 1 / Double($0) } ?? 0
        let values = table[series - 1].map { beta in
            beta[0] + inverse * (beta[1] + inverse * (beta[2] + inverse * beta[3]))
        }
        return CriticalValues(onePercent: values[0], fivePercent: values[1], tenPercent: values[2])
    }

    /// The published coefficients, indexed by the number of series minus one.
    private enum Surface {
        struct Bounds { var star: Double; var minimum: Double; var maximum: Double }

        static func bounds(_ regression: AugmentedDickeyFuller.Regression) -> [Bounds] {
            switch regression {
            case .none: [Bounds(star: -1.04, minimum: -19.04, maximum: .infinity), Bounds(star: -1.53, minimum: -19.62, maximum: 1.51)]
            case .constant: [Bounds(star: -1.61, minimum: -18.83, maximum: 2.74), Bounds(star: -2.62, minimum: -18.86, maximum: 0.92)]
            case .constantAndTrend: [Bounds(star: -2.89, minimum: -16.18, maximum: 0.7), Bounds(star: -3.19, minimum: -21.15, maximum: 0.63)]
            }
        }

        /// γ₀ + γ₁τ + γ₂τ² for τ ≤ τ* (the paper prints γ₂ × 100).
        static func small(_ regression: AugmentedDickeyFuller.Regression) -> [[Double]] {
            switch regression {
            case .none: [[0.6344, 1.2378, 3.2496e-2], [1.9129, 1.3857, 3.5322e-2]]
            case .constant: [[2.1659, 1.4412, 3.8269e-2], [2.92, 1.5012, 3.9796e-2]]
            case .constantAndTrend: [[3.2512, 1.6047, 4.9588e-2], [3.6646, 1.5419, 3.6448e-2]]
            }
        }

        /// γ₀ + γ₁τ + γ₂τ² + γ₃τ³ for τ > τ* (the paper prints γ₁, γ₂ × 10 and γ₃ × 100).
        static func large(_ regression: AugmentedDickeyFuller.Regression) -> [[Double]] {
            switch regression {
            case .none: [[0.4797, 9.3557e-1, -0.6999e-1, 3.3066e-2], [1.5578, 8.558e-1, -2.083e-1, -3.3549e-2]]
            case .constant: [[1.7339, 9.3202e-1, -1.2745e-1, -1.0368e-2], [2.1945, 6.4695e-1, -2.9198e-1, -4.2377e-2]]
            case .constantAndTrend: [[2.5261, 6.1654e-1, -3.7956e-1, -6.0285e-2], [2.85, 5.272e-1, -3.6622e-1, -5.1695e-2]]
            }
        }

        /// β∞, β₁, β₂, β₃ for 1%, 5% and 10%.
        static func critical(_ regression: AugmentedDickeyFuller.Regression) -> [[[Double]]] {
            switch regression {
            case .none:
                [[[-2.56574, -2.2358, -3.627, 0], [-1.94100, -0.2686, -3.365, 31.223], [-1.61682, 0.2656, -2.714, 25.364]]]
            case .constant:
                [[[-3.43035, -6.5393, -16.786, -79.433], [-2.86154, -2.8903, -4.234, -40.040], [-2.56677, -1.5384, -2.809, 0]],
                 [[-3.89644, -10.9519, -33.527, 0], [-3.33613, -6.1101, -6.823, 0], [-3.04445, -4.2412, -2.720, 0]]]
            case .constantAndTrend:
                [[[-3.95877, -9.0531, -28.428, -134.155], [-3.41049, -4.3904, -9.036, -45.374], [-3.12705, -2.5856, -3.925, -22.380]],
                 [[-4.32762, -15.4387, -35.679, 0], [-3.78057, -9.5106, -12.074, 0], [-3.49631, -7.0815, -7.538, 21.892]]]
            }
        }
    }
}
