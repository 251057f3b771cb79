import PeregrineCore

/// Wilder's RSI as TA-Lib computes it: average gain and loss seeded with the simple mean of the
/// first `period` changes, then smoothed `avg = (avg * (period - 1) + x) / period`. First value at
/// index `period`; 0 when there was neither gain nor loss.
public struct RelativeStrengthIndex: Sendable {
    public let period: Int
    private var previous: Double?
    private var gain = 0.0
    private var loss = 0.0
    private var changes = 0

    public init(period: Int) {
        precondition(period >= 1, "period must be at least 1")
        self.period = period
    }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        defer { previous = x }
        guard let last = previous else { return nil }
        let change = x - last
        changes += 1
        let n = Double(period)
        if changes <= period {
            if change < 0 { loss -= change } else { gain += change }
            guard changes == period else { return nil }
            gain /= n
            loss /= n
        } else {
            gain *= n - 1
            loss *= n - 1
            if change < 0 { loss -= change } else { gain += change }
            gain /= n
            loss /= n
        }
        let total = gain + loss
        return Indicator.isZero(total) ? 0 : 100 * (gain / total)
    }

    public mutating func update(_ price: Price) -> Double? { update(price.doubleValue) }
}
