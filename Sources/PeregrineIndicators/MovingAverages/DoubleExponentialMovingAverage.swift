import PeregrineCore

/// DEMA = 2 EMA - EMA(EMA), both TA-Lib-seeded; first value at index 2 (period - 1).
public struct DoubleExponentialMovingAverage: Sendable {
    private var first: ExponentialMovingAverage
    private var second: ExponentialMovingAverage

    public init(period: Int) {
        first = ExponentialMovingAverage(period: period)
        second = ExponentialMovingAverage(period: period)
    }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        guard let e1 = first.update(x), let e2 = second.update(e1) else { return nil }
        return 2 * e1 - e2
    }

    public mutating func update(_ price: Price) -> Double? { update(price.doubleValue) }
}
