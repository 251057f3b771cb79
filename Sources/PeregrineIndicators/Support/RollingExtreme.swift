/// Maximum (or minimum) of the last `period` values in amortized O(1): a monotonic queue that
/// drops values that can no longer be the extreme, kept in a fixed circular buffer (it never
/// holds more than `period` entries), so updates never allocate.
public struct RollingExtreme: Sendable {
    public let period: Int
    public let isMaximum: Bool
    @usableFromInline var indices: [Int]
    @usableFromInline var values: [Double]
    @usableFromInline var head = 0
    @usableFromInline var size = 0
    @usableFromInline var seen = 0

    public init(period: Int, maximum: Bool) {
        precondition(period >= 1, "period must be at least 1")
        self.period = period
        self.isMaximum = maximum
        indices = Array(repeating: 0, count: period)
        values = Array(repeating: 0, count: period)
    }

    @inlinable @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        // Drop the front if it left the window, then drop dominated values from the back.
        if size > 0 && indices[head] <= seen - period {
            head = head + 1 == period ? 0 : head + 1
            size -= 1
        }
        while size > 0 {
            var back = head + size - 1
            if back >= period { back -= period }
            if isMaximum ? values[back] <= x : values[back] >= x { size -= 1 } else { break }
        }
        var slot = head + size
        if slot >= period { slot -= period }
        values[slot] = x
        indices[slot] = seen
        size += 1
        seen += 1
        return seen >= period ? values[head] : nil
    }
}
