/// The static hedge ratio of a pair: y = intercept + ratio · x by least squares, so the spread
/// y - intercept - ratio · x is the cointegrating residual that Engle-Granger tests.
public struct HedgeRatio: Sendable, Equatable {
    public var intercept: Double
    public var ratio: Double

    public init(intercept: Double, ratio: Double) {
        self.intercept = intercept
        self.ratio = ratio
    }

    /// Least squares of `y` on a constant and `x`.
    public static func ordinaryLeastSquares(y: [Double], x: [Double]) throws(StatisticalInputError) -> HedgeRatio {
        try fit(y: y, x: x).hedge
    }

    /// The spread y - intercept - ratio · x.
    public func spread(y: [Double], x: [Double]) -> [Double] {
        precondition(y.count == x.count)
        return (0..<y.count).map { y[$0] - intercept - ratio * x[$0] }
    }

    /// The fit itself, for the R² Engle-Granger checks.
    static func fit(y: [Double], x: [Double]) throws(StatisticalInputError) -> (hedge: HedgeRatio, fit: LeastSquares) {
        guard y.count == x.count else { throw .mismatchedLengths([y.count, x.count]) }
        try StatisticalInputError.check(y, minimum: 3)
        try StatisticalInputError.check(x, minimum: 3)
        guard let low = x.min(), let high = x.max(), low < high else { throw .degenerate("x is constant, so no hedge ratio fits") }
        guard let yLow = y.min(), let yHigh = y.max(), yLow < yHigh else { throw .degenerate("y is constant, so there is no spread to test") }
        do {
            let fit = try LeastSquares(response: y, columns: [x, Array(repeating: 1, count: x.count)])
            return (HedgeRatio(intercept: fit.coefficients[1], ratio: fit.coefficients[0]), fit)
        } catch {
            throw .degenerate("the hedge regression cannot be fitted: \(error)")
        }
    }
}
