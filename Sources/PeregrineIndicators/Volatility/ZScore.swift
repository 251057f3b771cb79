import PeregrineCore

/// Rolling z-score: how many population standard deviations the price is from its simple moving
/// average over `period`. Undefined (nil) on a flat window.
public struct ZScore: Sendable {
    private var deviation: RollingStandardDeviation

    public init(period: Int) { deviation = RollingStandardDeviation(period: period) }

    @discardableResult
    public mutating func update(_ price: Price) -> Double? {
        guard let (mean, sd) = deviation.update(price), sd > 0 else { return nil }
        return (price.doubleValue - mean) / sd
    }
}
