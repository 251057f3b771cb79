import PeregrineCore

/// Bollinger Bands: simple moving average plus and minus `width` population standard deviations.
public struct BollingerBands: Sendable {
    public struct Value: Sendable, Equatable {
        public var upper: Double
        public var middle: Double
        public var lower: Double
    }

    public let width: Double
    private var deviation: RollingStandardDeviation

    public init(period: Int, width: Double) {
        self.width = width
        deviation = RollingStandardDeviation(period: period)
    }

    @discardableResult
    public mutating func update(_ price: Price) -> Value? {
        guard let (mean, sd) = deviation.update(price) else { return nil }
        return Value(upper: mean + width * sd, middle: mean, lower: mean - width * sd)
    }
}
