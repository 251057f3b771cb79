import PeregrineCore

/// The Cholesky factor L of a symmetric positive-definite matrix (A = L Lᵀ), with the solves and
/// the log-determinant that Gaussian likelihoods need.
public struct CholeskyFactorization: Sendable {
    /// Lower-triangular factor.
    public let lower: Matrix

    public enum Failure: Error, Equatable {
        /// The matrix is not positive definite (a pivot at this row was not positive).
        case notPositiveDefinite(row: Int)
    }

    public init(_ matrix: Matrix) throws(Failure) {
        precondition(matrix.rows == matrix.columns, "Cholesky needs a square matrix")
        let n = matrix.rows
        var l = Matrix(rows: n, columns: n)
        for j in 0..<n {
            var diagonal = matrix[j, j]
            for k in 0..<j { diagonal -= l[j, k] * l[j, k] }
            guard diagonal > 0 else { throw .notPositiveDefinite(row: j) }
            let pivot = diagonal.squareRoot()
            l[j, j] = pivot
            for i in (j + 1)..<max(j + 1, n) {
                var value = matrix[i, j]
                for k in 0..<j { value -= l[i, k] * l[j, k] }
                l[i, j] = value / pivot
            }
        }
        lower = l
    }

    /// Solves L y = b.
    public func solveLower(_ b: [Double]) -> [Double] {
        let n = lower.rows
        var y = b
        for i in 0..<n {
            var value = y[i]
            for k in 0..<i { value -= lower[i, k] * y[k] }
            y[i] = value / lower[i, i]
        }
        return y
    }

    /// Solves Lᵀ x = y.
    public func solveUpper(_ y: [Double]) -> [Double] {
        let n = lower.rows
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var value = x[i]
            for k in (i + 1)..<max(i + 1, n) { value -= lower[k, i] * x[k] }
            x[i] = value / lower[i, i]
        }
        return x
    }

    /// Solves A x = b.
    public func solve(_ b: [Double]) -> [Double] { solveUpper(solveLower(b)) }

    /// The inverse of A (for small matrices: posterior covariances).
    public var inverse: Matrix {
        let n = lower.rows
        var result = Matrix(rows: n, columns: n)
        for j in 0..<n {
            var unit = Array(repeating: 0.0, count: n)
            unit[j] = 1
            let column = solve(unit)
            for i in 0..<n { result[i, j] = column[i] }
        }
        return result
    }

    /// log |A| = 2 Σ log Lᵢᵢ.
    public var logDeterminant: Double {
        var total = 0.0
        for i in 0..<lower.rows { total += Foundationless.log(lower[i, i]) }
        return 2 * total
    }
}
