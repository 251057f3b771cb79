/// Mean-reversion reading of the Bollinger z-score z = (close − middle) / σ: beyond `entry`
/// standard deviations below the middle is a buy, beyond `entry` above a sell, and back within
/// `exit` of the middle an exit.
public struct BollingerZSignal: Sendable, Equatable {
    public enum Reading: String, Sendable { case buy, sell, exit, none }

    public var entry: Double
    public var exit: Double

    public init(entry: Double = 2, exit: Double = 0.5) {
        precondition(entry > exit && exit >= 0)
        self.entry = entry
        self.exit = exit
    }

    public func read(_ z: Double) -> Reading {
        if z <= -entry { return .buy }
        if z >= entry { return .sell }
        if abs(z) <= exit { return .exit }
        return .none
    }
}
