/// Detects crossings of a fast and a slow simple moving average, exactly. With window sums Sf and
/// Ss over windows f and s, fast > slow exactly when s*Sf > f*Ss, compared in 128 bits, so ties
/// on flat prices are ties and never rounding noise. Both sums share one ring buffer of the
/// longer window, so a bar costs one buffer write.
public struct MovingAverageCross: Sendable {
    public enum Event: Sendable, Equatable {
        /// fast > slow now, fast <= slow on the previous bar.
        case crossUp
        /// fast < slow now, fast >= slow on the previous bar.
        case crossDown
    }

    public let fastWindow: Int
    public let slowWindow: Int
    @usableFromInline var buffer: [Int64]
    /// Where the next value goes; the buffer holds the last `buffer.count` values.
    @usableFromInline var position = 0
    /// Oldest value of each window, which leaves it on the next update.
    @usableFromInline var fastOut = 0
    @usableFromInline var slowOut = 0
    @usableFromInline var seen = 0
    public var fastSum: Int64 = 0
    public var slowSum: Int64 = 0
    /// Sign of (fast - slow) on the previous bar; 2 until both averages were defined.
    @usableFromInline var previousSign: Int8 = 2

    public init(fast: Int, slow: Int) {
        precondition(fast >= 1 && slow >= 1, "windows must be positive")
        fastWindow = fast
        slowWindow = slow
        buffer = Array(repeating: 0, count: max(fast, slow))
    }

    /// Sign of fast - slow for the current window sums (-1, 0, +1). Always inlined: it runs on
    /// every bar, and as a call it cost a fifth of the update.
    @inlinable @inline(__always) public var sign: Int8 { Self.sign(fastSum: fastSum, slowSum: slowSum, fast: fastWindow, slow: slowWindow) }

    /// Sign of fastSum / fast - slowSum / slow, exactly (cross-multiplied, in 128 bits on overflow).
    @inlinable @inline(__always)
    static func sign(fastSum: Int64, slowSum: Int64, fast: Int, slow: Int) -> Int8 {
        let (lhs, lhsOverflow) = fastSum.multipliedReportingOverflow(by: Int64(slow))
        let (rhs, rhsOverflow) = slowSum.multipliedReportingOverflow(by: Int64(fast))
        if !lhsOverflow && !rhsOverflow { return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0) }
        let wideLHS = Int128(slow) * Int128(fastSum)
        let wideRHS = Int128(fast) * Int128(slowSum)
        return wideLHS > wideRHS ? 1 : (wideLHS < wideRHS ? -1 : 0)
    }

    /// Whether both averages are defined.
    @inlinable public var isReady: Bool { seen >= buffer.count }

    /// Feeds one price (fixed-point units); returns a crossing if this bar makes one. Always
    /// inlined into the strategy's per-bar step, which otherwise calls it through a frame.
    @inlinable @inline(__always) public mutating func update(_ price: Int64) -> Event? {
        guard seen >= buffer.count else { return warmUp(price) }
        // Steady state: both windows are full; the values leaving them sit at fastOut and slowOut.
        fastSum &+= price &- buffer[fastOut]
        slowSum &+= price &- buffer[slowOut]
        buffer[position] = price
        let capacity = buffer.count
        position = position + 1 == capacity ? 0 : position + 1
        fastOut = fastOut + 1 == capacity ? 0 : fastOut + 1
        slowOut = slowOut + 1 == capacity ? 0 : slowOut + 1
        let current = sign
        let previous = previousSign
        previousSign = current
        if current > 0 && previous <= 0 { return previous == 2 ? nil : .crossUp }
        if current < 0 && previous >= 0 { return previous == 2 ? nil : .crossDown }
        return nil
    }

    /// Feeds `prices[from..<to]` in order while none makes a crossing and returns the index of the
    /// first that would (not fed), or `to`: the same state as calling `update` on each of them until
    /// one returns an event, without that one. A strategy's fast path over bars it would not act on;
    /// the ring and the sums stay in registers for the whole run of bars.
    public mutating func feedUntilCross(_ prices: UnsafeBufferPointer<Int64>, from: Int, to: Int) -> Int {
        var k = from
        while k < to && seen < buffer.count {
            _ = warmUp(prices[k])  // never a crossing: the first defined sign only sets previousSign
            k += 1
        }
        guard k < to else { return k }
        let fast = fastWindow, slow = slowWindow
        let start = (fastSum: fastSum, slowSum: slowSum, previous: previousSign, position: position, fastOut: fastOut, slowOut: slowOut)
        // Everything the loop changes is a local of the closure, handed back once at the end: the
        // compiler cannot tell the ring's stores from stores to captured variables, and kept
        // those in memory, written back every bar.
        let end = buffer.withUnsafeMutableBufferPointer { ring in
            let capacity = ring.count
            var (fastSum, slowSum, previous, position, fastOut, slowOut) = start
            var index = k
            while index < to {
                let price = prices[index]
                let nextFast = fastSum &+ (price &- ring[fastOut])
                let nextSlow = slowSum &+ (price &- ring[slowOut])
                let current = Self.sign(fastSum: nextFast, slowSum: nextSlow, fast: fast, slow: slow)
                if previous != 2 && ((current > 0 && previous <= 0) || (current < 0 && previous >= 0)) { break }
                fastSum = nextFast
                slowSum = nextSlow
                ring[position] = price
                position = position &+ 1 == capacity ? 0 : position &+ 1
                fastOut = fastOut &+ 1 == capacity ? 0 : fastOut &+ 1
                slowOut = slowOut &+ 1 == capacity ? 0 : slowOut &+ 1
                previous = current
                index &+= 1
            }
            return (index: index, state: (fastSum, slowSum, previous, position, fastOut, slowOut))
        }
        (fastSum, slowSum, previousSign, position, fastOut, slowOut) = end.state
        return end.index
    }

    /// Until the longer window is full: add values, drop from the shorter window once it is full.
    @usableFromInline mutating func warmUp(_ price: Int64) -> Event? {
        let capacity = buffer.count
        if seen >= fastWindow { fastSum &-= buffer[fastOut]; fastOut = fastOut + 1 == capacity ? 0 : fastOut + 1 }
        if seen >= slowWindow { slowSum &-= buffer[slowOut]; slowOut = slowOut + 1 == capacity ? 0 : slowOut + 1 }
        buffer[position] = price
        fastSum &+= price
        slowSum &+= price
        position = position + 1 == capacity ? 0 : position + 1
        seen += 1
        if seen == capacity {
            previousSign = sign  // both averages are defined from here; no cross on the first bar
        }
        return nil
    }
}
