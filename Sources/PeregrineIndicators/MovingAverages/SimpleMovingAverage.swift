import PeregrineCore

/// Simple moving average of prices, streaming (O(1) per bar) and batch, with identical numbers:
/// both divide one exact integer sum. The first value appears on the `period`-th input (TA-Lib's
/// first valid index, period - 1).
public struct SimpleMovingAverage: Sendable {
    public var sum: RollingSum

    public init(period: Int) { self.sum = RollingSum(window: period) }

    public var period: Int { sum.window }
    @inlinable public var isReady: Bool { sum.isReady }

    /// Feeds one price; returns the average once the window is full.
    @inlinable @discardableResult
    public mutating func update(_ price: Price) -> Double? {
        sum.update(price.units)
        return isReady ? value : nil
    }

    /// The current average (meaningful once `isReady`).
    @inlinable public var value: Double { Double(sum.sum) / Double(sum.window) / Double(Price.scale) }

    /// Averages over a whole series: `nil` for the warm-up bars.
    public static func batch(_ prices: [Int64], period: Int) -> [Double?] {
        var indicator = SimpleMovingAverage(period: period)
        return prices.map { indicator.update(Price(units: $0)) }
    }
}
