import PeregrineCore

/// Change over `period` bars, `x - x[t - period]`, exact in price units.
public struct Momentum: Sendable {
    private var lag: LagBuffer<Int64>

    public init(period: Int) { lag = LagBuffer(capacity: period, filler: 0) }

    @discardableResult
    public mutating func update(_ price: Price) -> Double? {
        guard let old = lag.push(price.units) else { return nil }
        return Price(units: price.units - old).doubleValue
    }
}
