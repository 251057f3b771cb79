/// Nash equilibria of bimatrix games by support enumeration: for every pair of equal-size
/// supports, solve the indifference conditions and keep the profiles that are non-negative and
/// admit no profitable deviation. Finds every equilibrium of a nondegenerate game (and the
/// vertices of the equilibrium sets of degenerate ones that equal-size supports reach). The work
/// grows as 4ⁿ, which suits the small games of the signaling layer; larger games should use
/// `LemkeHowson`, which finds one equilibrium by pivoting.
public enum NashEquilibriumSolver {
    public struct Equilibrium: Sendable, Equatable {
        public var row: [Double]
        public var column: [Double]
        public var rowPayoff: Double
        public var columnPayoff: Double
    }

    public static func solve(_ game: BimatrixGame, tolerance: Double = 1e-9) -> [Equilibrium] {
        let m = game.rowCount
        let n = game.columnCount
        var found: [Equilibrium] = []
        for size in 1...min(m, n) {
            for rows in subsets(of: m, size: size) {
                for columns in subsets(of: n, size: size) {
                    guard let column = indifference(payoffs: game.rowPayoffs, support: rows, mixing: columns, total: n),
                          let row = indifference(payoffs: transpose(game.columnPayoffs), support: columns, mixing: rows, total: m)
                    else { continue }
                    guard game.isEquilibrium(row, column, tolerance: tolerance) else { continue }
                    let (a, b) = game.payoffs(row, column)
                    let candidate = Equilibrium(row: row, column: column, rowPayoff: a, columnPayoff: b)
                    if !found.contains(where: { same($0, candidate, tolerance) }) { found.append(candidate) }
                }
            }
        }
        return found
    }

    /// The mixture over `mixing` that makes every strategy in `support` of the opponent equally
    /// good under `payoffs` (rows: the opponent's strategies); nil if none is a probability vector.
    static func indifference(payoffs: [[Double]], support: [Int], mixing: [Int], total: Int) -> [Double]? {
        let k = mixing.count
        // Unknowns: the k probabilities and the common value v.
        var matrix: [[Double]] = []
        var rhs: [Double] = []
        for i in support {
            matrix.append(mixing.map { payoffs[i][$0] } + [-1])
            rhs.append(0)
        }
        matrix.append(Array(repeating: 1, count: k) + [0])
        rhs.append(1)
        guard let solution = LinearSystem.solve(matrix, rhs) else { return nil }
        var mixture = Array(repeating: 0.0, count: total)
        for (index, strategy) in mixing.enumerated() {
            guard solution[index] >= -1e-12 else { return nil }
            mixture[strategy] = max(0, solution[index])
        }
        return mixture
    }

    static func subsets(of count: Int, size: Int) -> [[Int]] {
        guard size > 0 else { return [[]] }
        guard size <= count else { return [] }
        var result: [[Int]] = []
        var current: [Int] = []
        func extend(from start: Int) {
            if current.count == size {
                result.append(current)
                return
            }
            for next in start..<count where count - next >= size - current.count {
                current.append(next)
                extend(from: next + 1)
                current.removeLast()
            }
        }
        extend(from: 0)
        return result
    }

    static func transpose(_ matrix: [[Double]]) -> [[Double]] {
        (0..<matrix[0].count).map { j in matrix.map { $0[j] } }
    }

    static func same(_ a: Equilibrium, _ b: Equilibrium, _ tolerance: Double) -> Bool {
        zip(a.row, b.row).allSatisfy { abs($0 - $1) < 1e-7 } && zip(a.column, b.column).allSatisfy { abs($0 - $1) < 1e-7 }
    }
}
