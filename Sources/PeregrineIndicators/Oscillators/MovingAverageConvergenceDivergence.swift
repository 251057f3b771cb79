import PeregrineCore

/// MACD as TA-Lib computes it: both EMAs start on the slow EMA's first bar (index slow - 1), the
/// fast one seeded with the mean of the `fast` values ending there; the signal is a TA-Lib-seeded
/// EMA of the line. All three outputs appear from index slow + signal - 2.
public struct MovingAverageConvergenceDivergence: Sendable {
    public struct Value: Sendable, Equatable {
        public var line: Double
        public var signal: Double
        public var histogram: Double
    }

    public let fastPeriod: Int
    public let slowPeriod: Int
    private var warmUp: LagBuffer<Double>
    private var fast: Double?
    private var slow = 0.0
    private var signal: ExponentialMovingAverage

    public init(fast: Int, slow: Int, signal: Int) {
        precondition(fast >= 1 && slow >= 1 && signal >= 1, "periods must be positive")
        // TA-Lib swaps the periods when fast > slow.
        fastPeriod = min(fast, slow)
        slowPeriod = max(fast, slow)
        warmUp = LagBuffer(capacity: slowPeriod, filler: 0)
        self.signal = ExponentialMovingAverage(period: signal)
    }

    @discardableResult
    public mutating func update(_ x: Double) -> Value? {
        let line: Double
        if let current = fast {
            let fastK = 2.0 / Double(fastPeriod + 1)
            let slowK = 2.0 / Double(slowPeriod + 1)
            fast = (x - current) * fastK + current
            slow = (x - slow) * slowK + slow
            line = fast! - slow
        } else {
            warmUp.push(x)
            guard warmUp.isFull else { return nil }
            let values = warmUp.values
            slow = values.reduce(0, +) / Double(slowPeriod)
            fast = values.suffix(fastPeriod).reduce(0, +) / Double(fastPeriod)
            line = fast! - slow
        }
        guard let signalValue = signal.update(line) else { return nil }
        return Value(line: line, signal: signalValue, histogram: line - signalValue)
    }

    public mutating func update(_ price: Price) -> Value? { update(price.doubleValue) }
}
