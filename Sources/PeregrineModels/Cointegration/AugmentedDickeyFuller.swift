#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The augmented Dickey-Fuller unit-root test: regress Δxₜ on the deterministic terms, xₜ₋₁ and p lagged
/// differences; τ is the t-statistic of xₜ₋₁, and a τ below the critical value rejects a unit root. The
/// lag p minimizes AIC over 0...maxLag with every candidate fitted on the same rows (those maxLag allows),
/// then the chosen regression is refitted on all the rows it can use, as statsmodels' `adfuller` with
/// `autolag="AIC"` does, so results can be compared to it.
public enum AugmentedDickeyFuller {
    /// The deterministic terms of the test regression.
    public enum Regression: String, CaseIterable, Sendable {
        /// A constant: the alternative is stationarity around a level.
        case constant = "c"
        /// A constant and a linear trend: stationarity around a trend.
        case constantAndTrend = "ct"
        /// Neither: stationarity around zero (for residuals, spreads).
        case none = "n"

        var trendTerms: Int {
            switch self {
            case .constant: 1
            case .constantAndTrend: 2
            case .none: 0
            }
        }
    }

    public struct Result: Sendable, Equatable {
        /// τ, the t-statistic of the lagged level.
        public var statistic: Double
        /// MacKinnon's approximate p-value of τ.
        public var pValue: Double
        /// The lagged differences AIC chose.
        public var lags: Int
        /// Rows of the final regression.
        public var observations: Int
        /// MacKinnon's critical values for this many rows.
        public var criticalValues: MacKinnon.CriticalValues
        /// The AIC of the chosen lag in the common-sample search.
        public var aic: Double
    }

    /// Schwert's rule 12 (n/100)^¼, capped so the regression keeps at least half the sample.
    public static func defaultMaxLag(observations n: Int, regression: Regression) -> Int {
        let schwert = Int((12 * pow(Double(n) / 100, 0.25)).rounded(.up))
        return min(n / 2 - regression.trendTerms - 1, schwert)
    }

    /// The largest max lag a sample of `n` allows.
    public static func maxLagLimit(observations n: Int, regression: Regression) -> Int { n / 2 - regression.trendTerms - 1 }

    /// Tests `series` for a unit root; `maxLag` nil uses `defaultMaxLag`.
    public static func test(_ series: [Double], regression: Regression = .constant,
                            maxLag: Int? = nil) throws(StatisticalInputError) -> Result {
        try test(series, regression: regression, maxLag: maxLag, seriesInTables: 1, criticalObservations: nil)
    }

    /// The test with the p-value and critical values of `seriesInTables` series (Engle-Granger passes 2
    /// and its own row count).
    static func test(_ series: [Double], regression: Regression, maxLag: Int?, seriesInTables: Int,
                     tableRegression: Regression? = nil, criticalObservations: Int?) throws(StatisticalInputError) -> Result {
        try StatisticalInputError.check(series, minimum: 2 * regression.trendTerms + 6)
        guard let low = series.min(), let high = series.max(), low < high else { throw .constant }
        let n = series.count
        let limit = maxLagLimit(observations: n, regression: regression)
        let searchLag: Int
        if let maxLag {
            guard maxLag >= 0 else { throw .degenerate("max lag \(maxLag) is negative") }
            guard maxLag <= limit else { throw .maxLagTooLarge(maxLag: maxLag, limit: limit) }
            searchLag = maxLag
        } else {
            searchLag = defaultMaxLag(observations: n, regression: regression)
        }
        var differences = Array(repeating: 0.0, count: n - 1)
        for i in 0..<(n - 1) { differences[i] = series[i + 1] - series[i] }

        // Every candidate uses the rows searchLag allows and a prefix of the same columns, so one
        // factorization gives all their residual sums of squares.
        let (response, columns) = design(series, differences, regression: regression, lags: searchLag, firstRow: searchLag)
        let sums: [Double]
        do {
            sums = try LeastSquares.prefixResidualSumsOfSquares(response: response, columns: columns)
        } catch {
            throw .degenerate("the Dickey-Fuller regression with \(searchLag) lags cannot be fitted: \(error)")
        }
        let rows = Double(response.count)
        var best: (aic: Double, lag: Int)?
        for lag in 0...searchLag {
            let parameters = regression.trendTerms + 1 + lag
            // AIC = -2 log L + 2k with the Gaussian log-likelihood at its maximum.
            let aic = rows * (log(2 * Double.pi) + log(sums[parameters - 1] / rows) + 1) + 2 * Double(parameters)
            if best == nil || aic < best!.aic { best = (aic, lag) }
        }
        let chosen = best!
        let fit = try regress(series, differences, regression: regression, lags: chosen.lag, firstRow: chosen.lag)
        let statistic = fit.tStatistics[regression.trendTerms]
        let tables = tableRegression ?? regression
        let pValue = MacKinnon.pValue(statistic, regression: tables, series: seriesInTables)
        let critical = MacKinnon.criticalValues(regression: tables, series: seriesInTables,
                                                observations: criticalObservations ?? fit.observations)!
        return Result(statistic: statistic, pValue: pValue, lags: chosen.lag, observations: fit.observations,
                      criticalValues: critical, aic: chosen.aic)
    }

    /// Δxₜ on [deterministic terms, xₜ, Δxₜ₋₁ … Δxₜ₋ₗ] for t from `firstRow` on (t indexes the differences).
    private static func regress(_ series: [Double], _ differences: [Double], regression: Regression, lags: Int,
                                firstRow: Int) throws(StatisticalInputError) -> LeastSquares {
        let (response, columns) = design(series, differences, regression: regression, lags: lags, firstRow: firstRow)
        do {
            return try LeastSquares(response: response, columns: columns)
        } catch {
            throw .degenerate("the Dickey-Fuller regression with \(lags) lags cannot be fitted: \(error)")
        }
    }

    private static func design(_ series: [Double], _ differences: [Double], regression: Regression, lags: Int,
                               firstRow: Int) -> (response: [Double], columns: [[Double]]) {
        let rows = differences.count - firstRow
        var columns: [[Double]] = []
        if regression != .none { columns.append(Array(repeating: 1, count: rows)) }
        if regression == .constantAndTrend { columns.append((0..<rows).map { Double($0 + 1) }) }
        columns.append(Array(series[firstRow..<(firstRow + rows)]))
        for lag in stride(from: 1, through: lags, by: 1) {
            columns.append(Array(differences[(firstRow - lag)..<(firstRow - lag + rows)]))
        }
        return (Array(differences[firstRow...]), columns)
    }
}
