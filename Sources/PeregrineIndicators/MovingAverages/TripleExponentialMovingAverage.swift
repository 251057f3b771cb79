import PeregrineCore

/// TEMA = 3 EMA - 3 EMA(EMA) + EMA(EMA(EMA)); first value at index 3 (period - 1).
public struct TripleExponentialMovingAverage: Sendable {
    private var first: ExponentialMovingAverage
    private var second: ExponentialMovingAverage
    private var third: ExponentialMovingAverage

    public init(period: Int) {
        first = ExponentialMovingAverage(period: period)
        second = ExponentialMovingAverage(period: period)
        third = ExponentialMovingAverage(period: period)
    }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        guard let e1 = first.update(x), let e2 = second.update(e1), let e3 = third.update(e2) else { return nil }
        return 3 * e1 - 3 * e2 + e3
    }

    public mutating func update(_ price: Price) -> Double? { update(price.doubleValue) }
}
