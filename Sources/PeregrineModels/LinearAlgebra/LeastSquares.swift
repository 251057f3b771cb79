#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ordinary least squares by Householder QR, which stays accurate where the normal equations lose
/// digits (a trend column next to price levels): the coefficients, their standard errors and
/// t-statistics, and the Gaussian log-likelihood and AIC that lag selection compares.
public struct LeastSquares: Sendable {
    public let coefficients: [Double]
    public let standardErrors: [Double]
    public let residuals: [Double]
    public let residualSumOfSquares: Double

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Fewer observations than regressors plus one.
        case tooFewObservations(observations: Int, regressors: Int)
        /// A regressor is (nearly) a linear combination of the ones before it.
        case rankDeficient(column: Int)

        public var description: String {
            switch self {
            case let .tooFewObservations(observations, regressors):
                "\(observations) observations cannot fit \(regressors) regressors"
            case let .rankDeficient(column):
                "regressor \(column) is a linear combination of the others"
            }
        }
    }

    /// Regresses `response` on `columns`, each one regressor's values (add a column of ones for an intercept).
    public init(response: [Double], columns: [[Double]]) throws(Failure) {
        let n = response.count
        let p = columns.count
        precondition(columns.allSatisfy { $0.count == n }, "every regressor needs one value per observation")
        guard n > p else { throw .tooFewObservations(observations: n, regressors: p) }
        var a = columns
        var b = response
        let diagonal = try Self.triangularize(&a, &b, original: columns)
        // R is upper triangular: R[i][j] = a[j][i] for j > i, diagonal[i] on the diagonal.
        var beta = Array(repeating: 0.0, count: p)
        for i in stride(from: p - 1, through: 0, by: -1) {
            var value = b[i]
            for j in (i + 1)..<max(i + 1, p) { value -= a[j][i] * beta[j] }
            beta[i] = value / diagonal[i]
        }
        var residuals = response
        for j in 0..<p where beta[j] != 0 {
            let coefficient = beta[j]
            for i in 0..<n { residuals[i] -= coefficient * columns[j][i] }
        }
        var ssr = 0.0
        for r in residuals { ssr += r * r }
        // (XᵀX)⁻¹ = R⁻¹R⁻ᵀ: the variance of coefficient i is σ² Σⱼ (R⁻¹)ᵢⱼ².
        var inverse = Array(repeating: Array(repeating: 0.0, count: p), count: p)
        for column in 0..<p {
            inverse[column][column] = 1 / diagonal[column]
            for row in stride(from: column - 1, through: 0, by: -1) {
                var value = 0.0
                for k in (row + 1)...column { value += a[k][row] * inverse[k][column] }
                inverse[row][column] = -value / diagonal[row]
            }
        }
        let variance = ssr / Double(n - p)
        standardErrors = (0..<p).map { i in
            var total = 0.0
            for j in i..<p { total += inverse[i][j] * inverse[i][j] }
            return (variance * total).squareRoot()
        }
        coefficients = beta
        self.residuals = residuals
        residualSumOfSquares = ssr
    }

    /// The residual sum of squares of the regression on each prefix of `columns` (element k - 1 is the fit
    /// on the first k), all from one factorization: nested models, such as lag-selection candidates
    /// fitted on the same rows, cost one QR instead of one each.
    public static func prefixResidualSumsOfSquares(response: [Double], columns: [[Double]]) throws(Failure) -> [Double] {
        let n = response.count
        let p = columns.count
        precondition(columns.allSatisfy { $0.count == n }, "every regressor needs one value per observation")
        guard n > p else { throw .tooFewObservations(observations: n, regressors: p) }
        var a = columns
        var b = response
        _ = try triangularize(&a, &b, original: columns)
        // After Qᵀ, the fit on the first k columns leaves exactly the components k..<n of Qᵀy.
        var tail = 0.0
        for i in p..<n { tail += b[i] * b[i] }
        var result = Array(repeating: 0.0, count: p)
        for k in stride(from: p - 1, through: 0, by: -1) {
            result[k] = tail
            tail += b[k] * b[k]
        }
        return result
    }

    /// Householder reflections that turn `a` (columns) into R above the diagonal and apply them to `b`;
    /// returns R's diagonal.
    private static func triangularize(_ a: inout [[Double]], _ b: inout [Double], original: [[Double]]) throws(Failure) -> [Double] {
        let n = b.count
        let p = a.count
        var diagonal = Array(repeating: 0.0, count: p)
        var v = Array(repeating: 0.0, count: n)
        for k in 0..<p {
            var originalNorm = 0.0
            for value in original[k] { originalNorm += value * value }
            let length = n - k
            let (norm, head): (Double, Double) = a[k].withUnsafeBufferPointer { column in
                var total = 0.0
                for i in k..<n { total += column[i] * column[i] }
                return (total.squareRoot(), column[k])
            }
            guard norm > 1e-11 * originalNorm.squareRoot(), norm > 0 else { throw .rankDeficient(column: k) }
            let alpha = head > 0 ? -norm : norm
            var vNorm = 0.0
            a[k].withUnsafeBufferPointer { column in
                for i in 0..<length { v[i] = column[k + i] }
            }
            v[0] -= alpha
            for i in 0..<length { vNorm += v[i] * v[i] }
            diagonal[k] = alpha
            guard vNorm > 0 else { continue }
            v.withUnsafeBufferPointer { reflector in
                for j in k..<p {
                    a[j].withUnsafeMutableBufferPointer { column in
                        var s = 0.0
                        for i in 0..<length { s += reflector[i] * column[k + i] }
                        let factor = 2 * s / vNorm
                        for i in 0..<length { column[k + i] -= factor * reflector[i] }
                    }
                }
                b.withUnsafeMutableBufferPointer { column in
                    var s = 0.0
                    for i in 0..<length { s += reflector[i] * column[k + i] }
                    let factor = 2 * s / vNorm
                    for i in 0..<length { column[k + i] -= factor * reflector[i] }
                }
            }
        }
        return diagonal
    }

    public var observations: Int { residuals.count }

    public var tStatistics: [Double] { zip(coefficients, standardErrors).map { $0 / $1 } }

    /// The Gaussian log-likelihood at the maximum: -n/2 (log 2π + log(SSR/n) + 1).
    public var logLikelihood: Double {
        let n = Double(observations)
        return -n / 2 * (log(2 * Double.pi) + log(residualSumOfSquares / n) + 1)
    }

    /// Akaike's criterion, -2 log L + 2 k, with k the number of regressors.
    public var aic: Double { -2 * logLikelihood + 2 * Double(coefficients.count) }

    /// 1 - SSR / Σ(y - ȳ)², for a regression with an intercept.
    public func rSquared(response: [Double]) -> Double {
        var mean = 0.0
        for value in response { mean += value }
        mean /= Double(response.count)
        var total = 0.0
        for value in response { total += (value - mean) * (value - mean) }
        return 1 - residualSumOfSquares / total
    }
}
