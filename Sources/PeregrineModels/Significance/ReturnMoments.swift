/// The count and the power sums (Σr, Σr², Σr³, Σr⁴) of a stretch of per-period returns. Two
/// stretches merge by adding, so the moments of any union of blocks (combinatorially symmetric
/// cross-validation's halves) come from the blocks' moments without the returns themselves.
public struct ReturnMoments: Sendable, Hashable, Codable {
    public var count: Int
    public var sum: Double
    public var sumOfSquares: Double
    public var sumOfCubes: Double
    public var sumOfFourthPowers: Double

    public init(count: Int = 0, sum: Double = 0, sumOfSquares: Double = 0, sumOfCubes: Double = 0, sumOfFourthPowers: Double = 0) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
        self.sumOfCubes = sumOfCubes
        self.sumOfFourthPowers = sumOfFourthPowers
    }

    public init<Returns: Sequence<Double>>(_ returns: Returns) {
        self.init()
        for r in returns { add(r) }
    }

    /// Equal when every count and sum is the same to the bit, so moments left out (NaN) compare equal
    /// and two runs of one computation can be held identical.
    public static func == (a: ReturnMoments, b: ReturnMoments) -> Bool {
        a.count == b.count && a.sum.bitPattern == b.sum.bitPattern && a.sumOfSquares.bitPattern == b.sumOfSquares.bitPattern
            && a.sumOfCubes.bitPattern == b.sumOfCubes.bitPattern && a.sumOfFourthPowers.bitPattern == b.sumOfFourthPowers.bitPattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for value in [sum, sumOfSquares, sumOfCubes, sumOfFourthPowers] { hasher.combine(value.bitPattern) }
    }

    public mutating func add(_ r: Double) {
        let square = r * r
        count += 1
        sum += r
        sumOfSquares += square
        sumOfCubes += square * r
        sumOfFourthPowers += square * square
    }

    public static func + (a: ReturnMoments, b: ReturnMoments) -> ReturnMoments {
        ReturnMoments(count: a.count + b.count, sum: a.sum + b.sum, sumOfSquares: a.sumOfSquares + b.sumOfSquares,
                      sumOfCubes: a.sumOfCubes + b.sumOfCubes, sumOfFourthPowers: a.sumOfFourthPowers + b.sumOfFourthPowers)
    }

    public static func - (a: ReturnMoments, b: ReturnMoments) -> ReturnMoments {
        ReturnMoments(count: a.count - b.count, sum: a.sum - b.sum, sumOfSquares: a.sumOfSquares - b.sumOfSquares,
                      sumOfCubes: a.sumOfCubes - b.sumOfCubes, sumOfFourthPowers: a.sumOfFourthPowers - b.sumOfFourthPowers)
    }

    public var mean: Double { count > 0 ? sum / Double(count) : .nan }

    /// Sample standard deviation (n − 1), as the project's Sharpe ratios use.
    public var standardDeviation: Double {
        guard count > 1 else { return .nan }
        let n = Double(count)
        return (max(0, sumOfSquares - sum * sum / n) / (n - 1)).squareRoot()
    }

    /// The per-period (not annualised) Sharpe ratio, mean over sample deviation; 0 for a stretch
    /// without any movement (a strategy that never held a position), NaN with fewer than two returns.
    public var sharpePerPeriod: Double {
        guard count > 1 else { return .nan }
        let deviation = standardDeviation
        return deviation > 0 ? mean / deviation : 0
    }

    /// Central moments about the mean, population form (divided by n).
    private var centralMoments: (second: Double, third: Double, fourth: Double) {
        let n = Double(count)
        let m = sum / n
        let (e2, e3, e4) = (sumOfSquares / n, sumOfCubes / n, sumOfFourthPowers / n)
        return (max(0, e2 - m * m), e3 - 3 * m * e2 + 2 * m * m * m, e4 - 4 * m * e3 + 6 * m * m * e2 - 3 * m * m * m * m)
    }

    /// Skewness m₃ / m₂^{3/2} (population moments, as scipy.stats.skew with bias); 0 without movement.
    public var skewness: Double {
        guard count > 1 else { return .nan }
        let c = centralMoments
        return c.second > 0 ? c.third / (c.second * c.second.squareRoot()) : 0
    }

    /// Kurtosis m₄ / m₂² (not excess: 3 for a normal distribution); 3 without movement.
    public var kurtosis: Double {
        guard count > 1 else { return .nan }
        let c = centralMoments
        return c.second > 0 ? c.fourth / (c.second * c.second) : 3
    }

    /// The moments of `blocks` consecutive, nearly equal stretches of `returns` (the first
    /// `count % blocks` stretches one return longer).
    public static func blocks(of returns: [Double], count blocks: Int) -> [ReturnMoments] {
        guard blocks > 0 else { return [] }
        return (0..<blocks).map { ReturnMoments(returns[blockRange($0, of: blocks, periods: returns.count)]) }
    }

    /// The periods of block `index` when `periods` are cut into `blocks` nearly equal stretches.
    public static func blockRange(_ index: Int, of blocks: Int, periods: Int) -> Range<Int> {
        let base = periods / blocks, extra = periods % blocks
        let start = index * base + min(index, extra)
        return start..<(start + base + (index < extra ? 1 : 0))
    }
}
