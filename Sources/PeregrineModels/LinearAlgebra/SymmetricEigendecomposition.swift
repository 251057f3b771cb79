/// Eigenvalues and orthonormal eigenvectors of a small symmetric matrix by cyclic Jacobi rotations:
/// slow for large matrices but accurate to rounding, which the Johansen test's handful of series needs.
public struct SymmetricEigendecomposition: Sendable {
    /// Eigenvalues, largest first.
    public let values: [Double]
    /// Column j is the unit eigenvector of `values[j]`.
    public let vectors: Matrix

    public init(_ matrix: Matrix) {
        precondition(matrix.rows == matrix.columns, "an eigendecomposition needs a square matrix")
        let n = matrix.rows
        var a = matrix
        var v = Matrix.identity(n)
        for _ in 0..<100 {
            var off = 0.0
            var scale = 0.0
            for i in 0..<n {
                scale += a[i, i] * a[i, i]
                for j in 0..<n where j != i { off += a[i, j] * a[i, j] }
            }
            if off <= 1e-30 * max(scale, Double.leastNormalMagnitude) { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p, q] != 0 {
                    let theta = (a[q, q] - a[p, p]) / (2 * a[p, q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<n {
                        let akp = a[k, p], akq = a[k, q]
                        a[k, p] = c * akp - s * akq
                        a[k, q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p, k], aqk = a[q, k]
                        a[p, k] = c * apk - s * aqk
                        a[q, k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k, p], vkq = v[k, q]
                        v[k, p] = c * vkp - s * vkq
                        v[k, q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0, $0] > a[$1, $1] }
        values = order.map { a[$0, $0] }
        var sorted = Matrix(rows: n, columns: n)
        for (column, source) in order.enumerated() { for row in 0..<n { sorted[row, column] = v[row, source] } }
        vectors = sorted
    }
}
