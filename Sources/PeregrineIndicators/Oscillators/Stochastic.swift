import PeregrineCore

/// Slow stochastic as TA-Lib's STOCH with simple averages: fast %K over `fastK` bars
/// (0 when the range is flat), %K its `slowK`-bar mean, %D the `slowD`-bar mean of %K.
public struct Stochastic: Sendable {
    public struct Value: Sendable, Equatable {
        public var k: Double
        public var d: Double
    }

    private var highest: RollingExtreme
    private var lowest: RollingExtreme
    private var slowK: RunningMean
    private var slowD: RunningMean

    public init(fastK: Int, slowK: Int, slowD: Int) {
        highest = RollingExtreme(period: fastK, maximum: true)
        lowest = RollingExtreme(period: fastK, maximum: false)
        self.slowK = RunningMean(period: slowK)
        self.slowD = RunningMean(period: slowD)
    }

    @discardableResult
    public mutating func update(_ bar: Bar) -> Value? {
        let high = highest.update(bar.high.doubleValue)
        let low = lowest.update(bar.low.doubleValue)
        guard let high, let low else { return nil }
        let range = (high - low) / 100
        let fast = range != 0 ? (bar.close.doubleValue - low) / range : 0
        guard let k = slowK.update(fast), let d = slowD.update(k) else { return nil }
        return Value(k: k, d: d)
    }
}
