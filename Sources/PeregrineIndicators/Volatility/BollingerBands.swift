import PeregrineCore

/// Bollinger Bands: simple moving average plus and minus `width` population standard deviations.
public struct BollingerBands: Sendable {
    public let width: Double
    private var deviation: RollingStandardDeviation

    public init(period: Int, width: Double) {
        self.width = width
        deviation = RollingStandardDeviation(period: period)
    }

    @discardableResult
    public mutating func update(_ price: Price) -> Channel? {
        guard let (mean, sd) = deviation.update(price) else { return nil }
        return Channel(upper: mean + width * sd, middle: mean, lower: mean - width * sd)
    }
}
