/// One Nash equilibrium of a bimatrix game by the Lemke-Howson algorithm: complementary pivoting
/// on the best-response polytopes P = {x ≥ 0 : Bᵀx ≤ 1} and Q = {y ≥ 0 : Ay ≤ 1} (payoffs shifted
/// positive), starting by dropping one label and pivoting until it is picked up again. Polynomial
/// work per pivot, so it serves games too large for support enumeration. Ties in the ratio test
/// go to the smallest label; a degenerate game can still cycle, which the iteration cap stops.
public enum LemkeHowson {
    /// A tableau whose variables are named by labels 0..<m+n; each row keeps one basic variable.
    struct Tableau {
        var coefficients: [[Double]]
        var constants: [Double]
        var basis: [Int]

        /// Brings `entering` into the basis; returns the label that left.
        mutating func pivot(entering: Int) -> Int? {
            var chosen: Int?
            var bestRatio = Double.infinity
            for row in coefficients.indices where coefficients[row][entering] > 1e-12 {
                let ratio = constants[row] / coefficients[row][entering]
                if ratio < bestRatio - 1e-12 || (abs(ratio - bestRatio) <= 1e-12 && basis[row] < basis[chosen!]) {
                    bestRatio = ratio
                    chosen = row
                }
            }
            guard let row = chosen else { return nil }
            let pivotValue = coefficients[row][entering]
            for k in coefficients[row].indices { coefficients[row][k] /= pivotValue }
            constants[row] /= pivotValue
            for other in coefficients.indices where other != row {
                let factor = coefficients[other][entering]
                if factor == 0 { continue }
                for k in coefficients[other].indices { coefficients[other][k] -= factor * coefficients[row][k] }
                constants[other] -= factor * constants[row]
            }
            let leaving = basis[row]
            basis[row] = entering
            return leaving
        }

        func value(of label: Int) -> Double {
            basis.firstIndex(of: label).map { constants[$0] } ?? 0
        }
    }

    /// - Parameter droppedLabel: the label dropped first (0..<m+n); different choices can reach
    ///   different equilibria.
    public static func solve(_ game: BimatrixGame, droppedLabel: Int = 0, maxPivots: Int = 10_000)
        -> NashEquilibriumSolver.Equilibrium?
    {
        let m = game.rowCount
        let n = game.columnCount
        precondition(droppedLabel >= 0 && droppedLabel < m + n)
        let shiftA = 1 - game.rowPayoffs.flatMap { $0 }.min()!
        let shiftB = 1 - game.columnPayoffs.flatMap { $0 }.min()!
        // P: labels 0..<m are x_i, labels m+j are the slack r_j of constraint j: r_j + Σ_i B_ij x_i = 1.
        var p = Tableau(coefficients: (0..<n).map { j in
            (0..<m).map { game.columnPayoffs[$0][j] + shiftB } + (0..<n).map { $0 == j ? 1 : 0 }
        }, constants: Array(repeating: 1, count: n), basis: (0..<n).map { m + $0 })
        // Q: labels 0..<m are the slack s_i of constraint i, labels m+j are y_j: s_i + Σ_j A_ij y_j = 1.
        var q = Tableau(coefficients: (0..<m).map { i in
            (0..<m).map { $0 == i ? 1 : 0 } + (0..<n).map { game.rowPayoffs[i][$0] + shiftA }
        }, constants: Array(repeating: 1, count: m), basis: Array(0..<m))
        var entering = droppedLabel
        var inP = droppedLabel < m  // x labels are nonbasic in P at the start, y labels in Q
        for _ in 0..<maxPivots {
            let left = inP ? p.pivot(entering: entering) : q.pivot(entering: entering)
            guard let leaving = left else { return nil }
            if leaving == droppedLabel {
                let xs = (0..<m).map { p.value(of: $0) }
                let ys = (0..<n).map { q.value(of: m + $0) }
                let xTotal = xs.reduce(0, +)
                let yTotal = ys.reduce(0, +)
                guard xTotal > 0, yTotal > 0 else { return nil }
                let row = xs.map { $0 / xTotal }
                let column = ys.map { $0 / yTotal }
                let (a, b) = game.payoffs(row, column)
                return NashEquilibriumSolver.Equilibrium(row: row, column: column, rowPayoff: a, columnPayoff: b)
            }
            entering = leaving
            inP.toggle()
        }
        return nil
    }
}
