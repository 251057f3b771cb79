/// Simple moving average of `Double` values by a running sum, as TA-Lib computes its SMA; for
/// smoothing derived series (stochastic %K and %D).
public struct RunningMean: Sendable {
    public let period: Int
    private var window: LagBuffer<Double>
    private var sum = 0.0

    public init(period: Int) {
        precondition(period >= 1, "period must be at least 1")
        self.period = period
        window = LagBuffer(capacity: period, filler: 0)
    }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        // TA-Lib's order: add the new value, read the window total, subtract the leaving value.
        sum += x
        if let leaving = window.push(x) { sum -= leaving }
        return window.isFull ? sum / Double(period) : nil
    }
}
