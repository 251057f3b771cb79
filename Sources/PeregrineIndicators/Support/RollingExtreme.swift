/// Maximum (or minimum) of the last `period` values in amortized O(1): a monotonic queue that
/// drops values that can no longer be the extreme.
public struct RollingExtreme: Sendable {
    public let period: Int
    public let isMaximum: Bool
    private var indices: [Int] = []
    private var values: [Double] = []
    private var head = 0
    private var seen = 0

    public init(period: Int, maximum: Bool) {
        precondition(period >= 1, "period must be at least 1")
        self.period = period
        self.isMaximum = maximum
    }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        while values.count > head, isMaximum ? values[values.count - 1] <= x : values[values.count - 1] >= x {
            values.removeLast()
            indices.removeLast()
        }
        values.append(x)
        indices.append(seen)
        if indices[head] <= seen - period { head += 1 }
        seen += 1
        if head > 64 && head * 2 > values.count {
            values.removeFirst(head)
            indices.removeFirst(head)
            head = 0
        }
        return seen >= period ? values[head] : nil
    }
}
