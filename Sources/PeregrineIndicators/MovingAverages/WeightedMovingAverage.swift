import PeregrineCore

/// Linearly weighted moving average (weights 1...period, newest heaviest), O(1) per update by
/// keeping the weighted and the plain window sums. First value at index period - 1.
public struct WeightedMovingAverage: Sendable {
    public let period: Int
    private var window: LagBuffer<Double>
    private var plainSum = 0.0
    private var weightedSum = 0.0
    private let divisor: Double

    public init(period: Int) {
        precondition(period >= 1, "period must be at least 1")
        self.period = period
        window = LagBuffer(capacity: period, filler: 0)
        divisor = Double(period * (period + 1)) / 2
    }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        // Every older value loses one weight step (minus the old plain sum), the new one gets `period`.
        weightedSum += Double(period) * x - plainSum
        let leaving = window.push(x)
        plainSum += x - (leaving ?? 0)
        return window.isFull ? weightedSum / divisor : nil
    }

    public mutating func update(_ price: Price) -> Double? { update(price.doubleValue) }
}
