/// Detects crossings of a fast and a slow simple moving average, exactly. With window sums Sf and
/// Ss over windows f and s, fast > slow exactly when s*Sf > f*Ss, compared in 128 bits, so ties
/// on flat prices are ties and never rounding noise.
public struct MovingAverageCross: Sendable {
    public enum Event: Sendable, Equatable {
        /// fast > slow now, fast <= slow on the previous bar.
        case crossUp
        /// fast < slow now, fast >= slow on the previous bar.
        case crossDown
    }

    public var fast: RollingSum
    public var slow: RollingSum
    /// Sign of (fast - slow) on the previous bar; nil until both averages were defined.
    @usableFromInline var previousSign: Int8?

    public init(fast: Int, slow: Int) {
        self.fast = RollingSum(window: fast)
        self.slow = RollingSum(window: slow)
    }

    /// Sign of fast - slow for the current window sums (-1, 0, +1).
    @inlinable public var sign: Int8 {
        let lhs = Int128(slow.window) * Int128(fast.sum)
        let rhs = Int128(fast.window) * Int128(slow.sum)
        return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0)
    }

    /// Whether both averages are defined.
    @inlinable public var isReady: Bool { fast.isReady && slow.isReady }

    /// Feeds one price (fixed-point units); returns a crossing if this bar makes one.
    @inlinable public mutating func update(_ price: Int64) -> Event? {
        fast.update(price)
        slow.update(price)
        guard fast.isReady && slow.isReady else { return nil }
        let current = sign
        defer { previousSign = current }
        guard let previous = previousSign else { return nil }
        if current > 0 && previous <= 0 { return .crossUp }
        if current < 0 && previous >= 0 { return .crossDown }
        return nil
    }
}
