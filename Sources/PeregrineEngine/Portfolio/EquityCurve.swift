import PeregrineCore

/// Equity after each time step, exact, with its timestamp. Storage is allocated once for the
/// whole run (an upper bound of steps) so recording a point is two stores, with no array growth
/// or copy-on-write check per bar; untouched capacity is never paged in.
public final class EquityCurve: RandomAccessCollection, @unchecked Sendable {
    public struct Point: Hashable, Sendable {
        public var timestamp: Timestamp
        public var equity: Money
    }

    private let values: UnsafeMutablePointer<Money>
    /// Own timestamps, or nil when the points are one per bar of `sharedTimestamps`.
    private let times: UnsafeMutablePointer<Int64>?
    private let sharedTimestamps: [Int64]
    public let capacity: Int
    @exclusivity(unchecked) public private(set) var count = 0

    /// A curve that records its own timestamps (several instruments merged).
    public init(capacity: Int) {
        self.capacity = Swift.max(1, capacity)
        values = .allocate(capacity: self.capacity)
        times = .allocate(capacity: self.capacity)
        sharedTimestamps = []
    }

    /// A curve with one point per bar of a single instrument, reusing the bars' timestamps.
    public init(barTimestamps: [Int64]) {
        self.capacity = Swift.max(1, barTimestamps.count)
        values = .allocate(capacity: self.capacity)
        times = nil
        sharedTimestamps = barTimestamps
    }

    deinit {
        values.deallocate()
        times?.deallocate()
    }

    /// Appends a point (for curves built outside the kernel, such as a trimmed or stitched curve).
    public func record(_ equity: Money, at time: Int64) { append(equity, at: time) }

    @inline(__always)
    func append(_ equity: Money, at time: Int64) {
        precondition(count < capacity, "equity curve capacity exceeded")
        values[count] = equity
        times?[count] = time
        count += 1
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Point {
        precondition(position >= 0 && position < count, "equity index out of range")
        return Point(timestamp: Timestamp(nanoseconds: times?[position] ?? sharedTimestamps[position]),
                     equity: values[position])
    }

    public func equity(at position: Int) -> Money { self[position].equity }
    public func timestamp(at position: Int) -> Int64 { self[position].timestamp.nanoseconds }

    /// Simple returns from `initial` through every point, the longest time spent below a previous
    /// peak (in nanoseconds), and the sum of all values (initial included), in one pass over the raw
    /// buffers: the statistics at the end of a run read a few million points.
    func returnsAndDrawdownTime(initial: Money) -> (returns: [Double], longestUnderwater: Int64, sum: Double) {
        let n = count
        var previous = initial.doubleValue
        var total = previous
        var peak = initial
        var peakTime = n > 0 ? timestamp(at: 0) : 0
        var longest: Int64 = 0
        // Written into uninitialized storage through raw pointers: zero-filling a few million
        // returns first, and an optional and a bounds check per timestamp, cost a quarter of the pass.
        let returns = sharedTimestamps.withUnsafeBufferPointer { shared in
            [Double](unsafeUninitializedCapacity: n) { out, initialized in
                guard let stamps = times.map({ UnsafePointer($0) }) ?? shared.baseAddress else {
                    initialized = 0
                    return
                }
                var previousValue = initial
                for k in 0..<n {
                    let value = values[k]
                    let current: Double
                    if value == previousValue && previous != 0 {
                        // Unchanged (flat, or a position whose price did not move): the same Double, and
                        // x / x - 1 is exactly 0, without converting the 128-bit amount again.
                        current = previous
                        out[k] = 0
                    } else {
                        current = value.doubleValue
                        out[k] = current / previous - 1
                    }
                    previous = current
                    previousValue = value
                    total += current
                    let time = stamps[k]
                    if value >= peak {
                        peak = value
                        peakTime = time
                    } else if time - peakTime > longest {
                        longest = time - peakTime
                    }
                }
                initialized = n
            }
        }
        return (returns, longest, total)
    }

    /// Simple returns per period from `initial` through every point (the series the metrics use).
    public func periodReturns(initial: Money) -> [Double] { returnsAndDrawdownTime(initial: initial).returns }

    /// Equity values as `Double`, for statistics.
    public func doubleValues() -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(count)
        for k in 0..<count { result.append(values[k].doubleValue) }
        return result
    }

    /// Drops the `count` oldest points, moving the rest to the front, so a live bot keeps a window
    /// of recent equity (its store has every snapshot) and never reaches the capacity. A curve on
    /// shared bar timestamps (a backtest's) keeps every point.
    public func removeOldest(_ count: Int) {
        guard let times else { return }
        let count = Swift.min(Swift.max(count, 0), self.count)
        guard count > 0 else { return }
        let kept = self.count - count
        UnsafeMutableRawPointer(values).copyMemory(from: values + count, byteCount: kept * MemoryLayout<Money>.stride)
        UnsafeMutableRawPointer(times).copyMemory(from: times + count, byteCount: kept * MemoryLayout<Int64>.stride)
        self.count = kept
    }
}
