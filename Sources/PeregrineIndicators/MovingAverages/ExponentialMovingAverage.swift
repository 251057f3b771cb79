import PeregrineCore

/// Exponential moving average with TA-Lib's seeding: the first value is the simple average of the
/// first `period` inputs (index period - 1), then `ema += (x - ema) * 2 / (period + 1)`.
public struct ExponentialMovingAverage: Sendable {
    public let period: Int
    public let smoothing: Double
    private var seedSum = 0.0
    private var seen = 0
    public private(set) var value: Double?

    public init(period: Int) {
        precondition(period >= 1, "period must be at least 1")
        self.period = period
        self.smoothing = 2.0 / Double(period + 1)
    }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        if let previous = value {
            value = (x - previous) * smoothing + previous
        } else {
            seedSum += x
            seen += 1
            if seen == period { value = seedSum / Double(period) }
        }
        return value
    }

    public mutating func update(_ price: Price) -> Double? { update(price.doubleValue) }

    public static func batch(_ values: [Double], period: Int) -> [Double?] {
        var indicator = ExponentialMovingAverage(period: period)
        return values.map { indicator.update($0) }
    }
}
