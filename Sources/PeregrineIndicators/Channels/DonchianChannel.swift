import PeregrineCore

/// Highest high and lowest low of the last `period` bars, and their midpoint.
public struct DonchianChannel: Sendable {
    private var highest: RollingExtreme
    private var lowest: RollingExtreme

    public init(period: Int) {
        highest = RollingExtreme(period: period, maximum: true)
        lowest = RollingExtreme(period: period, maximum: false)
    }

    @discardableResult
    public mutating func update(_ bar: Bar) -> Channel? {
        let high = highest.update(bar.high.doubleValue)
        let low = lowest.update(bar.low.doubleValue)
        guard let high, let low else { return nil }
        return Channel(upper: high, middle: (high + low) / 2, lower: low)
    }
}
