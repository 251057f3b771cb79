/// Solves a square linear system by Gaussian elimination with partial pivoting; nil when singular.
public enum LinearSystem {
    public static func solve(_ matrix: [[Double]], _ rhs: [Double], tolerance: Double = 1e-12) -> [Double]? {
        let n = rhs.count
        precondition(matrix.count == n && matrix.allSatisfy { $0.count == n })
        var a = matrix
        var b = rhs
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            guard abs(a[pivot][column]) > tolerance else { return nil }
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<max(column + 1, n) {
                let factor = a[row][column] / a[column][column]
                if factor == 0 { continue }
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = Array(repeating: 0.0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var value = b[row]
            for k in (row + 1)..<max(row + 1, n) { value -= a[row][k] * x[k] }
            x[row] = value / a[row][row]
        }
        return x
    }
}
