import PeregrineCore

/// Hierarchical Risk Parity (López de Prado), as PyPortfolioOpt's `HRPOpt` computes it:
/// 1. correlation distance d = √((1 − ρ) / 2) between assets (sample correlation of returns);
/// 2. single-linkage agglomerative clustering on those distances (merges in increasing distance,
///    the smaller cluster id on the left, as scipy labels them);
/// 3. quasi-diagonalization: assets ordered by a left-first pre-order walk of the cluster tree;
/// 4. recursive bisection of that order into halves, splitting weight between the halves in
///    inverse proportion to each half's inverse-variance-portfolio variance.
public enum HierarchicalRiskParity {
    public struct Result: Sendable, Equatable {
        /// Weights in the input order; they sum to 1.
        public var weights: [Double]
        /// Asset indices in quasi-diagonal order.
        public var order: [Int]
        /// Merges as (left id, right id, distance); ids ≥ n are earlier merges (n + step).
        public var merges: [(left: Int, right: Int, distance: Double)]

        public static func == (a: Result, b: Result) -> Bool {
            a.weights == b.weights && a.order == b.order && a.merges.elementsEqual(b.merges) { $0 == $1 }
        }
    }

    /// - Parameter returns: one series per asset, aligned and of equal length.
    public static func allocate(returns: [[Double]]) -> Result {
        let n = returns.count
        precondition(n >= 1 && returns.allSatisfy { $0.count == returns[0].count && $0.count > 1 })
        let covariance = sampleCovariance(returns)
        guard n > 1 else { return Result(weights: [1], order: [0], merges: []) }
        var distance = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                let rho = covariance[i][j] / (covariance[i][i] * covariance[j][j]).squareRoot()
                distance[i][j] = max(0, (1 - rho) / 2).squareRoot()
            }
        }
        let merges = singleLinkage(distance)
        let order = preOrder(merges, leaves: n)
        var weights = Array(repeating: 1.0, count: n)
        var clusters = [order]
        while !clusters.isEmpty {
            clusters = clusters.filter { $0.count > 1 }.flatMap { [Array($0[..<($0.count / 2)]), Array($0[($0.count / 2)...])] }
            for pair in stride(from: 0, to: clusters.count, by: 2) {
                let first = clusters[pair]
                let second = clusters[pair + 1]
                let v1 = clusterVariance(covariance, first)
                let v2 = clusterVariance(covariance, second)
                let alpha = 1 - v1 / (v1 + v2)
                for i in first { weights[i] *= alpha }
                for i in second { weights[i] *= 1 - alpha }
            }
        }
        return Result(weights: weights, order: order, merges: merges)
    }

    /// Sample covariance (n − 1 denominator) of aligned series.
    static func sampleCovariance(_ returns: [[Double]]) -> [[Double]] {
        let n = returns.count
        let length = Double(returns[0].count)
        let means = returns.map { $0.reduce(0, +) / length }
        var result = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for i in 0..<n {
            for j in i..<n {
                var total = 0.0
                for t in returns[i].indices { total += (returns[i][t] - means[i]) * (returns[j][t] - means[j]) }
                result[i][j] = total / (length - 1)
                result[j][i] = result[i][j]
            }
        }
        return result
    }

    /// Variance of the inverse-variance portfolio of `members`.
    static func clusterVariance(_ covariance: [[Double]], _ members: [Int]) -> Double {
        let inverse = members.map { 1 / covariance[$0][$0] }
        let total = inverse.reduce(0, +)
        let w = inverse.map { $0 / total }
        var variance = 0.0
        for (a, i) in members.enumerated() {
            for (b, j) in members.enumerated() { variance += w[a] * covariance[i][j] * w[b] }
        }
        return variance
    }

    /// Agglomerative single linkage: repeatedly merge the two closest clusters (closest members).
    static func singleLinkage(_ distance: [[Double]]) -> [(left: Int, right: Int, distance: Double)] {
        let n = distance.count
        var active = Array(0..<n)  // cluster ids
        var members: [Int: [Int]] = Dictionary(uniqueKeysWithValues: (0..<n).map { ($0, [$0]) })
        var merges: [(Int, Int, Double)] = []
        var nextID = n
        while active.count > 1 {
            var best = (a: 0, b: 1, d: Double.infinity)
            for x in 0..<active.count {
                for y in (x + 1)..<active.count {
                    var d = Double.infinity
                    for i in members[active[x]]! { for j in members[active[y]]! { d = min(d, distance[i][j]) } }
                    if d < best.d { best = (x, y, d) }
                }
            }
            let left = min(active[best.a], active[best.b])
            let right = max(active[best.a], active[best.b])
            merges.append((left, right, best.d))
            members[nextID] = members[left]! + members[right]!
            active.removeAll { $0 == left || $0 == right }
            active.append(nextID)
            nextID += 1
        }
        return merges
    }

    /// Leaves in a left-first pre-order walk from the last merge.
    static func preOrder(_ merges: [(left: Int, right: Int, distance: Double)], leaves n: Int) -> [Int] {
        var order: [Int] = []
        func walk(_ id: Int) {
            if id < n { order.append(id); return }
            let merge = merges[id - n]
            walk(merge.left)
            walk(merge.right)
        }
        walk(n + merges.count - 1)
        return order
    }
}
