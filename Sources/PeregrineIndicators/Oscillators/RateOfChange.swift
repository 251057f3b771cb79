import PeregrineCore

/// Percent change over `period` bars, `(x / x[t - period] - 1) * 100` (0 when the old value is 0).
public struct RateOfChange: Sendable {
    private var lag: LagBuffer<Double>

    public init(period: Int) { lag = LagBuffer(capacity: period, filler: 0) }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        guard let old = lag.push(x) else { return nil }
        return old != 0 ? (x / old - 1) * 100 : 0
    }

    public mutating func update(_ price: Price) -> Double? { update(price.doubleValue) }
}
