import PeregrineCore

/// Wilder's average true range as TA-Lib computes it: true ranges from the second bar, seeded with
/// their simple mean over `period` (first value at index `period`), then
/// `atr = (atr * (period - 1) + tr) / period`.
public struct AverageTrueRange: Sendable {
    public let period: Int
    private var previousClose: Double?
    private var seedSum = 0.0
    private var ranges = 0
    public private(set) var value: Double?

    public init(period: Int) {
        precondition(period >= 1, "period must be at least 1")
        self.period = period
    }

    @discardableResult
    public mutating func update(_ bar: Bar) -> Double? {
        defer { previousClose = bar.close.doubleValue }
        guard let close = previousClose else { return nil }
        let range = Indicator.trueRange(high: bar.high.doubleValue, low: bar.low.doubleValue, previousClose: close)
        if let atr = value {
            value = (atr * Double(period - 1) + range) / Double(period)
        } else {
            seedSum += range
            ranges += 1
            if ranges == period { value = seedSum / Double(period) }
        }
        return value
    }
}
