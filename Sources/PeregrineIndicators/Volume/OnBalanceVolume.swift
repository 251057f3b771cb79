import PeregrineCore

/// On-balance volume, TA-Lib's convention: starts at the first bar's volume, then adds the volume
/// of up-close bars and subtracts that of down-close bars.
public struct OnBalanceVolume: Sendable {
    private var previousClose: Price?
    private var total = 0.0

    public init() {}

    @discardableResult
    public mutating func update(_ bar: Bar) -> Double {
        let volume = bar.volume.doubleValue
        if let last = previousClose {
            if bar.close > last { total += volume } else if bar.close < last { total -= volume }
        } else {
            total = volume
        }
        previousClose = bar.close
        return total
    }
}
