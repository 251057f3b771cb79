#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Hurst exponent by the scaling of lagged differences: for a self-similar series the standard
/// deviation of xₜ₊τ - xₜ grows as τ^H, so H is the least-squares slope of log σ(τ) on log τ over the
/// lags. H ≈ 0.5 is a random walk, H < 0.5 mean-reverting (a spread worth trading), H > 0.5 trending.
/// Apply it to log prices or a spread, not to returns. The estimator is simple and biased on short
/// samples; it ranks series rather than measuring them.
public enum HurstExponent {
    /// H of `series` over lags `lags` (default 2 to min(100, n/4)).
    public static func estimate(_ series: [Double], lags: ClosedRange<Int>? = nil) throws(StatisticalInputError) -> Double {
        try StatisticalInputError.check(series, minimum: 16)
        guard let low = series.min(), let high = series.max(), low < high else { throw .constant }
        let range = lags ?? 2...min(100, series.count / 4)
        guard range.lowerBound >= 1, range.upperBound < series.count / 2 else {
            throw .degenerate("lags \(range.lowerBound)...\(range.upperBound) need 1 ≤ lag < \(series.count / 2) for \(series.count) values")
        }
        guard range.count >= 3 else { throw .degenerate("the Hurst fit needs at least 3 lags, got \(range.count)") }
        var logLags: [Double] = []
        var logDeviations: [Double] = []
        for lag in range {
            let count = series.count - lag
            var mean = 0.0
            for t in 0..<count { mean += series[t + lag] - series[t] }
            mean /= Double(count)
            var variance = 0.0
            for t in 0..<count {
                let d = series[t + lag] - series[t] - mean
                variance += d * d
            }
            variance /= Double(count)
            guard variance > 0 else { throw .degenerate("the differences at lag \(lag) are constant") }
            logLags.append(log(Double(lag)))
            logDeviations.append(0.5 * log(variance))
        }
        do {
            return try LeastSquares(response: logDeviations, columns: [Array(repeating: 1, count: logLags.count), logLags]).coefficients[1]
        } catch {
            throw .degenerate("the Hurst regression cannot be fitted: \(error)")
        }
    }
}
