#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The half-life of mean reversion of a spread: regress Δsₜ = a + b sₜ₋₁ + ε by least squares; an
/// Ornstein-Uhlenbeck spread has b ≈ -(1 - φ), and a gap closes by half in -ln 2 / b bars. A b of zero or
/// more means the spread does not revert, and the half-life is infinite.
public struct MeanReversionHalfLife: Sendable, Equatable {
    /// b, the speed of reversion per bar (negative when the spread reverts).
    public var slope: Double
    /// a, the regression's constant.
    public var intercept: Double

    /// -ln 2 / b in bars, or +∞ when b ≥ 0.
    public var bars: Double { slope < 0 ? -log(2) / slope : .infinity }

    public init(_ spread: [Double]) throws(StatisticalInputError) {
        try StatisticalInputError.check(spread, minimum: 4)
        guard let low = spread.min(), let high = spread.max(), low < high else { throw .constant }
        let lagged = Array(spread.dropLast())
        let change = (1..<spread.count).map { spread[$0] - spread[$0 - 1] }
        do {
            let fit = try LeastSquares(response: change, columns: [Array(repeating: 1, count: lagged.count), lagged])
            intercept = fit.coefficients[0]
            slope = fit.coefficients[1]
        } catch {
            throw .degenerate("the half-life regression cannot be fitted: \(error)")
        }
    }
}
