/// A two-player game in normal form: `rowPayoffs[i][j]` and `columnPayoffs[i][j]` when the row
/// player plays i and the column player j.
public struct BimatrixGame: Sendable, Equatable {
    public let rowPayoffs: [[Double]]
    public let columnPayoffs: [[Double]]

    public init(rowPayoffs: [[Double]], columnPayoffs: [[Double]]) {
        precondition(!rowPayoffs.isEmpty && rowPayoffs.count == columnPayoffs.count)
        precondition(zip(rowPayoffs, columnPayoffs).allSatisfy { $0.count == $1.count && $0.count == rowPayoffs[0].count })
        self.rowPayoffs = rowPayoffs
        self.columnPayoffs = columnPayoffs
    }

    /// A zero-sum game: the column player receives the negative of the row player's payoff.
    public init(zeroSum payoffs: [[Double]]) {
        self.init(rowPayoffs: payoffs, columnPayoffs: payoffs.map { $0.map { -$0 } })
    }

    public var rowCount: Int { rowPayoffs.count }
    public var columnCount: Int { rowPayoffs[0].count }

    /// Expected payoffs (row, column) of a mixed profile.
    public func payoffs(_ row: [Double], _ column: [Double]) -> (row: Double, column: Double) {
        var a = 0.0
        var b = 0.0
        for i in 0..<rowCount {
            for j in 0..<columnCount {
                a += row[i] * column[j] * rowPayoffs[i][j]
                b += row[i] * column[j] * columnPayoffs[i][j]
            }
        }
        return (a, b)
    }

    /// Whether neither player gains more than `tolerance` by deviating to any pure strategy.
    public func isEquilibrium(_ row: [Double], _ column: [Double], tolerance: Double = 1e-9) -> Bool {
        let (a, b) = payoffs(row, column)
        for i in 0..<rowCount {
            let deviation = (0..<columnCount).reduce(0.0) { $0 + column[$1] * rowPayoffs[i][$1] }
            if deviation > a + tolerance { return false }
        }
        for j in 0..<columnCount {
            let deviation = (0..<rowCount).reduce(0.0) { $0 + row[$1] * columnPayoffs[$1][j] }
            if deviation > b + tolerance { return false }
        }
        return true
    }
}
