import PeregrineCore

/// Population standard deviation over the last `period` prices (TA-Lib's STDDEV), from exact
/// integer sums of the fixed-point prices and their squares, so flat windows give exactly 0
/// and long series do not drift. First value at index period - 1.
public struct RollingStandardDeviation: Sendable {
    public let period: Int
    private var window: LagBuffer<Int64>
    private var sum: Int128 = 0
    private var sumOfSquares: Int128 = 0

    public init(period: Int) {
        precondition(period >= 1, "period must be at least 1")
        self.period = period
        window = LagBuffer(capacity: period, filler: 0)
    }

    /// Feeds a price; returns (mean, standard deviation) once the window is full.
    @discardableResult
    public mutating func update(_ price: Price) -> (mean: Double, deviation: Double)? {
        let x = Int128(price.units)
        if let leaving = window.push(price.units) {
            sum -= Int128(leaving)
            sumOfSquares -= Int128(leaving) * Int128(leaving)
        }
        sum += x
        sumOfSquares += x * x
        guard window.isFull else { return nil }
        let n = Int128(period)
        // n^2 * variance = n * sum(x^2) - sum(x)^2, exact; scaled back by n^2 and the price scale^2.
        let scaledVariance = n * sumOfSquares - sum * sum
        let scale = Double(Price.scale)
        let variance = scaledVariance.fastDoubleValue / Double(period * period) / (scale * scale)
        let mean = sum.fastDoubleValue / Double(period) / scale
        return (mean, variance > 0 ? variance.squareRoot() : 0)
    }
}
