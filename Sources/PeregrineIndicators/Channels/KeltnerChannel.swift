import PeregrineCore

/// Keltner channel: EMA of the close plus and minus `width` ATRs, both over `period`.
public struct KeltnerChannel: Sendable {
    public let width: Double
    private var average: ExponentialMovingAverage
    private var range: AverageTrueRange

    public init(period: Int, width: Double) {
        self.width = width
        average = ExponentialMovingAverage(period: period)
        range = AverageTrueRange(period: period)
    }

    @discardableResult
    public mutating func update(_ bar: Bar) -> Channel? {
        let middle = average.update(bar.close)
        let atr = range.update(bar)
        guard let middle, let atr else { return nil }
        return Channel(upper: middle + width * atr, middle: middle, lower: middle - width * atr)
    }
}
