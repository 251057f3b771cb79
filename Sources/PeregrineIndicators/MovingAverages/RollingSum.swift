/// An exact sum over the last `window` integer values (fixed-point price units), O(1) per update.
/// Integers do not drift the way running floating-point sums do, so moving averages built on it
/// compare exactly, even across long flat stretches.
public struct RollingSum: Sendable {
    public let window: Int
    @usableFromInline var buffer: [Int64]
    @usableFromInline var position = 0
    @usableFromInline var filled = 0
    public var sum: Int64 = 0

    public init(window: Int) {
        precondition(window >= 1, "window must be at least 1")
        self.window = window
        self.buffer = Array(repeating: 0, count: window)
    }

    /// True once `window` values have been seen.
    @inlinable public var isReady: Bool { filled == window }

    @inlinable public mutating func update(_ value: Int64) {
        sum &+= value &- buffer[position]
        buffer[position] = value
        position += 1
        if position == window { position = 0 }
        if filled < window { filled += 1 }
    }
}
