#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One expiry's implied volatility as a quadratic in log-moneyness k = ln(K / F), F the forward:
/// sigma(k) = level + slope k + curvature k^2, fitted by least squares. Level is the at-the-money-
/// forward volatility, slope the skew (negative for equities), curvature the smile. Enough to
/// price strikes between quotes; not arbitrage-free far in the wings.
public struct VolatilitySmile: Hashable, Sendable {
    public var level: Double
    public var slope: Double
    public var curvature: Double
    public var forward: Double
    /// The root mean square difference between the quotes' and the fit's volatilities.
    public var rootMeanSquareError: Double

    /// One quote of the smile: its strike and implied volatility.
    public struct Point: Hashable, Sendable {
        public var strike: Double
        public var volatility: Double

        public init(strike: Double, volatility: Double) {
            self.strike = strike
            self.volatility = volatility
        }
    }

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Fits the smile through `points` (at least 4, with 3 distinct strikes).
    public init(points: [Point], forward: Double) throws(Failure) {
        guard forward > 0, forward.isFinite else { throw Failure(description: "forward \(forward) must be a positive number") }
        guard points.count >= 4 else { throw Failure(description: "\(points.count) quotes: a smile needs at least 4") }
        if let bad = points.first(where: { !($0.strike > 0 && $0.volatility > 0 && $0.strike.isFinite && $0.volatility.isFinite) }) {
            throw Failure(description: "quote at strike \(bad.strike) with volatility \(bad.volatility) is not usable")
        }
        let k = points.map { log($0.strike / forward) }
        let fit: LeastSquares
        do {
            fit = try LeastSquares(response: points.map(\.volatility), columns: [k.map { _ in 1 }, k, k.map { $0 * $0 }])
        } catch {
            throw Failure(description: "the strikes do not determine a quadratic (\(error.description))")
        }
        level = fit.coefficients[0]
        slope = fit.coefficients[1]
        curvature = fit.coefficients[2]
        self.forward = forward
        rootMeanSquareError = (fit.residualSumOfSquares / Double(points.count)).squareRoot()
    }

    /// The fitted volatility at a strike.
    public func volatility(strike: Double) -> Double {
        let k = log(strike / forward)
        return level + slope * k + curvature * k * k
    }
}
