#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Johansen's test for the number of cointegrating relations among several series, as statsmodels'
/// `coint_johansen(endog, det_order, k_ar_diff)`: after removing the deterministic terms, the differences
/// and the lagged levels are each regressed on `lagDifferences` lagged differences; the squared canonical
/// correlations λ₁ ≥ … ≥ λₙ of the two residuals give the trace statistic -T Σⱼ≥ᵢ ln(1 - λⱼ) (at most i
/// relations) and the max-eigen statistic -T ln(1 - λᵢ) (exactly i against i + 1). Critical values are
/// MacKinnon, Haug and Michelis (1999) as tabulated for 1 to 6 series.
public enum Johansen {
    /// The deterministic terms removed first (statsmodels' det_order -1, 0, 1).
    public enum Deterministic: Int, CaseIterable, Sendable {
        case none = -1
        case constant = 0
        case trend = 1
    }

    public struct Result: Sendable, Equatable {
        /// λ, largest first.
        public var eigenvalues: [Double]
        /// Column i is the cointegrating vector of λᵢ, normalized so vᵀ Sₖₖ v = 1 and its first nonzero
        /// element is positive.
        public var eigenvectors: Matrix
        /// Trace statistic for r ≤ 0, 1, ….
        public var trace: [Double]
        /// Max-eigen statistic for r = 0, 1, ….
        public var maxEigen: [Double]
        /// 90%, 95% and 99% critical values of each trace statistic.
        public var traceCriticalValues: [[Double]]
        /// 90%, 95% and 99% critical values of each max-eigen statistic.
        public var maxEigenCriticalValues: [[Double]]
        /// Rows of the residual regressions.
        public var observations: Int

        /// Relations the trace test finds at a level: the first i whose statistic is below its critical
        /// value (level index 0: 90%, 1: 95%, 2: 99%).
        public func relations(level: Int = 1) -> Int {
            trace.indices.first { trace[$0] < traceCriticalValues[$0][level] } ?? trace.count
        }
    }

    public static let seriesCovered = 2...6

    /// Tests `series` (each one variable's values, aligned, 2 to 6 of them).
    public static func test(_ series: [[Double]], deterministic: Deterministic = .constant,
                            lagDifferences: Int = 1) throws(StatisticalInputError) -> Result {
        let count = series.count
        guard seriesCovered.contains(count) else {
            throw .degenerate("Johansen's critical values here cover 2 to 6 series, got \(count)")
        }
        let lengths = series.map(\.count)
        guard Set(lengths).count == 1 else { throw .mismatchedLengths(lengths) }
        guard lagDifferences >= 0 else { throw .degenerate("lag differences \(lagDifferences) is negative") }
        let minimum = count * (lagDifferences + 1) + lagDifferences + 4 * count
        for values in series { try StatisticalInputError.check(values, minimum: minimum) }
        for values in series {
            guard let low = values.min(), let high = values.max(), low < high else { throw .constant }
        }
        let n = lengths[0]
        let k = lagDifferences
        let levels = try detrend(series, order: deterministic.rawValue)
        let differences = levels.map { values in (0..<(n - 1)).map { values[$0 + 1] - values[$0] } }
        let rows = n - 1 - k
        // Lagged differences Δxₜ₋₁ … Δxₜ₋ₖ for t = k … n-2 (t indexes the differences).
        var lagged: [[Double]] = []
        for lag in stride(from: 1, through: k, by: 1) {
            for values in differences { lagged.append(Array(values[(k - lag)..<(k - lag + rows)])) }
        }
        let filter = deterministic == .none ? -1 : 0
        lagged = try detrend(lagged, order: filter)
        let current = try detrend(differences.map { Array($0[k...]) }, order: filter)
        let lagLevels = try detrend(levels.map { Array($0[1..<(n - k)]) }, order: filter)
        let r0 = try residuals(current, on: lagged)
        let rk = try residuals(lagLevels, on: lagged)

        let s00 = moments(r0, r0), sk0 = moments(rk, r0), skk = moments(rk, rk)
        let s00Factor: CholeskyFactorization, skkFactor: CholeskyFactorization
        do {
            s00Factor = try CholeskyFactorization(s00)
            skkFactor = try CholeskyFactorization(skk)
        } catch {
            throw .degenerate("the series' residual covariance is singular (a series repeats another?)")
        }
        // Σ = Sₖ₀ S₀₀⁻¹ S₀ₖ, and the eigenproblem Σ v = λ Sₖₖ v made symmetric with Sₖₖ = L Lᵀ.
        var sigma = Matrix(rows: count, columns: count)
        let s0k = sk0.transposed
        var solved: [[Double]] = []
        for column in 0..<count { solved.append(s00Factor.solve((0..<count).map { s0k[$0, column] })) }
        for i in 0..<count { for j in 0..<count { sigma[i, j] = dot((0..<count).map { sk0[i, $0] }, solved[j]) } }
        var whitened = Matrix(rows: count, columns: count)
        var halfWhitened: [[Double]] = []
        for column in 0..<count { halfWhitened.append(skkFactor.solveLower((0..<count).map { sigma[$0, column] })) }
        // C = L⁻¹ Σ L⁻ᵀ: rows of (L⁻¹ Σ) solved again from the right.
        for row in 0..<count {
            let rowValues = (0..<count).map { halfWhitened[$0][row] }
            let solvedRow = skkFactor.solveLower(rowValues)
            for column in 0..<count { whitened[row, column] = solvedRow[column] }
        }
        for i in 0..<count { for j in (i + 1)..<max(i + 1, count) {
            let average = (whitened[i, j] + whitened[j, i]) / 2
            whitened[i, j] = average
            whitened[j, i] = average
        } }
        let eigen = SymmetricEigendecomposition(whitened)
        var vectors = Matrix(rows: count, columns: count)
        for column in 0..<count {
            var v = skkFactor.solveUpper((0..<count).map { eigen.vectors[$0, column] })
            if let first = v.first(where: { $0 != 0 }), first < 0 { v = v.map { -$0 } }
            for row in 0..<count { vectors[row, column] = v[row] }
        }
        let t = Double(rows)
        let values = eigen.values
        var trace: [Double] = [], maxEigen: [Double] = []
        for i in 0..<count {
            var total = 0.0
            for j in i..<count { total += log(1 - values[j]) }
            trace.append(-t * total)
            maxEigen.append(-t * log(1 - values[i]))
        }
        return Result(eigenvalues: values, eigenvectors: vectors, trace: trace, maxEigen: maxEigen,
                      traceCriticalValues: (0..<count).map { CriticalValueTable.trace(deterministic)[count - $0 - 1] },
                      maxEigenCriticalValues: (0..<count).map { CriticalValueTable.maxEigen(deterministic)[count - $0 - 1] },
                      observations: rows)
    }

    /// Removes a polynomial trend of `order` in t ∈ [-1, 1] from each column (-1: nothing, 0: the mean).
    private static func detrend(_ columns: [[Double]], order: Int) throws(StatisticalInputError) -> [[Double]] {
        guard order >= 0, let length = columns.first?.count else { return columns }
        var basis: [[Double]] = [Array(repeating: 1, count: length)]
        if order >= 1 {
            let step = length > 1 ? 2 / Double(length - 1) : 0
            basis.append((0..<length).map { -1 + Double($0) * step })
        }
        return try residuals(columns, on: basis)
    }

    /// Each column's residual after least squares on `regressors`.
    private static func residuals(_ columns: [[Double]], on regressors: [[Double]]) throws(StatisticalInputError) -> [[Double]] {
        guard !regressors.isEmpty else { return columns }
        var result: [[Double]] = []
        for column in columns {
            do {
                result.append(try LeastSquares(response: column, columns: regressors).residuals)
            } catch {
                throw .degenerate("a Johansen auxiliary regression cannot be fitted: \(error)")
            }
        }
        return result
    }

    /// Aᵀ B / rows for column lists A and B.
    private static func moments(_ a: [[Double]], _ b: [[Double]]) -> Matrix {
        var result = Matrix(rows: a.count, columns: b.count)
        let rows = Double(a[0].count)
        for i in a.indices { for j in b.indices { result[i, j] = dot(a[i], b[j]) / rows } }
        return result
    }
}
