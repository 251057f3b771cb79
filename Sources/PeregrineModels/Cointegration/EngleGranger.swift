/// The Engle-Granger two-step cointegration test of a pair, as statsmodels' `coint(y, x, trend="c")`:
/// regress y on a constant and x, then run the augmented Dickey-Fuller test without deterministic terms
/// on the residual (lag by AIC), and read τ against MacKinnon's two-series tables with a constant. The
/// test is not symmetric: `test(y: a, x: b)` and `test(y: b, x: a)` differ, so a scan tries both orders.
public enum EngleGranger {
    public struct Result: Sendable, Equatable {
        /// The first step's regression y = intercept + ratio · x.
        public var hedge: HedgeRatio
        /// τ of the residual.
        public var statistic: Double
        /// MacKinnon's approximate p-value for two series.
        public var pValue: Double
        /// The lagged differences AIC chose in the residual's test.
        public var lags: Int
        /// Critical values for the sample, using its length minus one as statsmodels (and Stata's egranger) do.
        public var criticalValues: MacKinnon.CriticalValues
        /// Rows the test used.
        public var observations: Int
    }

    /// Tests whether `y` and `x` (same length, aligned) are cointegrated.
    public static func test(y: [Double], x: [Double], maxLag: Int? = nil) throws(StatisticalInputError) -> Result {
        let (hedge, fit) = try HedgeRatio.fit(y: y, x: x)
        // A perfect fit leaves no residual to test (statsmodels' threshold: R² ≥ 1 - 100 √ε).
        guard fit.rSquared(response: y) < 1 - 100 * Double.ulpOfOne.squareRoot() else {
            throw .degenerate("y and x are (almost) perfectly collinear, so there is no spread to test")
        }
        let adf = try AugmentedDickeyFuller.test(fit.residuals, regression: .none, maxLag: maxLag, seriesInTables: 2,
                                                  tableRegression: .constant, criticalObservations: y.count - 1)
        return Result(hedge: hedge, statistic: adf.statistic, pValue: adf.pValue, lags: adf.lags,
                      criticalValues: adf.criticalValues, observations: y.count)
    }
}
