import PeregrineCore

/// A small dense matrix of `Double`, row-major: enough linear algebra for regressions, Gaussian
/// processes and hidden Markov models without an external library.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    public var elements: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        elements = Array(repeating: value, count: rows * columns)
    }

    /// From rows of equal length.
    public init(_ rowValues: [[Double]]) {
        let width = rowValues.first?.count ?? 0
        precondition(rowValues.allSatisfy { $0.count == width }, "rows must have equal length")
        rows = rowValues.count
        columns = width
        elements = rowValues.flatMap { $0 }
    }

    public static func identity(_ size: Int) -> Matrix {
        var m = Matrix(rows: size, columns: size)
        for i in 0..<size { m[i, i] = 1 }
        return m
    }

    /// A column vector.
    public init(column values: [Double]) {
        rows = values.count
        columns = 1
        elements = values
    }

    @inlinable public subscript(row: Int, column: Int) -> Double {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.columns == rhs.rows, "shapes \(lhs.rows)x\(lhs.columns) and \(rhs.rows)x\(rhs.columns) do not multiply")
        var product = Matrix(rows: lhs.rows, columns: rhs.columns)
        for i in 0..<lhs.rows {
            for k in 0..<lhs.columns {
                let a = lhs[i, k]
                if a == 0 { continue }
                for j in 0..<rhs.columns { product[i, j] += a * rhs[k, j] }
            }
        }
        return product
    }

    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns)
        var sum = lhs
        for index in sum.elements.indices { sum.elements[index] += rhs.elements[index] }
        return sum
    }

    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns)
        var difference = lhs
        for index in difference.elements.indices { difference.elements[index] -= rhs.elements[index] }
        return difference
    }

    public static func * (scalar: Double, matrix: Matrix) -> Matrix {
        var scaled = matrix
        for index in scaled.elements.indices { scaled.elements[index] *= scalar }
        return scaled
    }

    /// Matrix times vector.
    public func multiply(_ vector: [Double]) -> [Double] {
        precondition(vector.count == columns)
        return (0..<rows).map { i in
            var total = 0.0
            for j in 0..<columns { total += self[i, j] * vector[j] }
            return total
        }
    }

    public var description: String {
        (0..<rows).map { i in (0..<columns).map { String(self[i, $0]) }.joined(separator: " ") }.joined(separator: "\n")
    }
}

/// Dot product of two equal-length vectors.
@inlinable public func dot(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    var total = 0.0
    for i in a.indices { total += a[i] * b[i] }
    return total
}
