import PeregrineCore

/// Equity after each time step, exact, with its timestamp. A single instrument's backtest keeps
/// the cash and position held between fills and values each point from its bar's close when read
/// (the same exact sum the kernel worked out), so ten million bars need no 16-byte amount each;
/// other curves store every amount. Stored amounts are allocated once for the whole run (an upper
/// bound of steps), so recording a point is two stores; untouched capacity is never paged in.
public final class EquityCurve: RandomAccessCollection, @unchecked Sendable {
    public struct Point: Hashable, Sendable {
        public var timestamp: Timestamp
        public var equity: Money
    }

    /// What was held from point `start` on, until the next holding starts: the points between are
    /// `cash + close * quantity`, or `cash` alone when flat. The quantity is kept in 64 bits of
    /// units (32 bytes a holding, not 48; one holding a fill): a position beyond 9.2 billion
    /// whole units makes the curve store its amounts instead.
    struct Holding {
        var cash: Money
        var units: Int64
        var start: Int

        @inline(__always) init?(cash: Money, quantity: Quantity, start: Int) {
            guard let units = Int64(exactly: quantity.units) else { return nil }
            self.cash = cash
            self.units = units
            self.start = start
        }

        @inline(__always) var quantity: Quantity { Quantity(units: Int128(units)) }

        @inline(__always) func holds(cash: Money, quantity: Quantity) -> Bool {
            self.cash == cash && Int128(units) == quantity.units
        }
    }

    /// Stored amounts, or nil while the curve is valued from `closes`.
    @exclusivity(unchecked) private var values: UnsafeMutablePointer<Money>?
    /// Own timestamps, or nil when the points are one per bar of `sharedTimestamps`.
    private let times: UnsafeMutablePointer<Int64>?
    private let sharedTimestamps: [Int64]
    /// The bars' closes a valued curve reads its points from (empty for a stored curve).
    private let closes: [Int64]
    /// A valued curve's holdings in point order; the first starts at point 0.
    @exclusivity(unchecked) private var holdings: [Holding] = []
    public let capacity: Int
    @exclusivity(unchecked) public private(set) var count = 0

    /// A curve that records its own timestamps (several instruments merged).
    public init(capacity: Int) {
        self.capacity = Swift.max(1, capacity)
        values = .allocate(capacity: self.capacity)
        times = .allocate(capacity: self.capacity)
        sharedTimestamps = []
        closes = []
    }

    /// A curve with one point per bar of a single instrument, reusing the bars' timestamps.
    public init(barTimestamps: [Int64]) {
        self.capacity = Swift.max(1, barTimestamps.count)
        values = .allocate(capacity: self.capacity)
        times = nil
        sharedTimestamps = barTimestamps
        closes = []
    }

    /// A curve with one point per bar of a single instrument, valued from the bars' closes and the
    /// holdings the kernel appends (`append(_:cash:quantity:close:)`); it stores amounts only from
    /// the first point that is not cash plus the close times the position (an option's value).
    public init(barTimestamps: [Int64], closes: [Int64]) {
        precondition(closes.count == barTimestamps.count, "one close per bar")
        self.capacity = Swift.max(1, barTimestamps.count)
        values = nil
        times = nil
        sharedTimestamps = barTimestamps
        self.closes = closes
    }

    deinit {
        values?.deallocate()
        times?.deallocate()
    }

    /// Room for `count` changes of holding (two a round trip), taken before a run so the list
    /// never grows and copies itself while it runs; capacity not written is never paged in.
    func reserveHoldings(_ count: Int) {
        if values == nil { holdings.reserveCapacity(count) }
    }

    /// Whether points are valued from the bars' closes rather than stored.
    public var isValuedFromCloses: Bool { values == nil }

    /// Appends a point (for curves built outside the kernel, such as a trimmed or stitched curve).
    public func record(_ equity: Money, at time: Int64) { append(equity, at: time) }

    @inline(__always)
    func append(_ equity: Money, at time: Int64) {
        precondition(count < capacity, "equity curve capacity exceeded")
        if values == nil { storeAmounts() }
        values.unsafelyUnwrapped[count] = equity
        times?[count] = time
        count += 1
    }

    /// Appends the point of the next bar, `equity`, which is `cash + close * quantity` (`cash` when
    /// `quantity` is zero): a valued curve keeps only a change of holding, a stored one the amount.
    @inline(__always)
    func append(_ equity: Money, cash: Money, quantity: Quantity, close: Int64) {
        precondition(count < capacity, "equity curve capacity exceeded")
        guard values == nil, close == closes[count] else { return append(equity, at: sharedTimestamps[count]) }
        if let last = holdings.last, last.holds(cash: cash, quantity: quantity) {} else {
            guard let holding = Holding(cash: cash, quantity: quantity, start: count) else { return append(equity, at: sharedTimestamps[count]) }
            holdings.append(holding)
        }
        count += 1
    }

    /// Appends the points of the next `bars` bars, held at `cash` and `quantity` throughout (the
    /// caller has checked that every one is within the books' range).
    func appendHolding(cash: Money, quantity: Quantity, bars: Int) {
        precondition(bars >= 0 && count + bars <= capacity, "equity curve capacity exceeded")
        if values == nil {
            if let last = holdings.last, last.holds(cash: cash, quantity: quantity) {
                count += bars
                return
            }
            if let holding = Holding(cash: cash, quantity: quantity, start: count) {
                holdings.append(holding)
                count += bars
                return
            }
            storeAmounts()
        }
        let values = values.unsafelyUnwrapped
        for k in count..<(count + bars) { values[k] = Self.value(cash: cash, quantity: quantity, close: closes[k]) }
        count += bars
    }

    @inline(__always)
    static func value(cash: Money, quantity: Quantity, close: Int64) -> Money {
        quantity.isZero ? cash : cash + Price(units: close) * quantity
    }

    /// Stores every amount from here on: the points so far are valued once into fresh storage.
    private func storeAmounts() {
        let stored = UnsafeMutablePointer<Money>.allocate(capacity: capacity)
        var k = 0
        forEachValue { value in
            stored[k] = value
            k += 1
        }
        values = stored
        holdings = []
    }

    /// Calls `body` with every amount in point order, reading a valued curve holding by holding.
    @inline(__always)
    func forEachValue(_ body: (Money) -> Void) {
        if let values {
            for k in 0..<count { body(values[k]) }
            return
        }
        closes.withUnsafeBufferPointer { closes in
            for h in holdings.indices {
                let holding = holdings[h]
                let end = h + 1 < holdings.count ? holdings[h + 1].start : count
                if holding.quantity.isZero {
                    for _ in holding.start..<end { body(holding.cash) }
                } else {
                    for k in holding.start..<end { body(holding.cash + Price(units: closes[k]) * holding.quantity) }
                }
            }
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Point {
        precondition(position >= 0 && position < count, "equity index out of range")
        return Point(timestamp: Timestamp(nanoseconds: times?[position] ?? sharedTimestamps[position]),
                     equity: amount(at: position, holding: values == nil ? holdingIndex(of: position) : 0))
    }

    public func equity(at position: Int) -> Money { self[position].equity }
    public func timestamp(at position: Int) -> Int64 { self[position].timestamp.nanoseconds }

    private func amount(at position: Int, holding: Int) -> Money {
        if let values { return values[position] }
        let held = holdings[holding]
        return Self.value(cash: held.cash, quantity: held.quantity, close: closes[position])
    }

    /// The holding a point of a valued curve falls in: the last one starting at or before it.
    private func holdingIndex(of position: Int) -> Int {
        var low = 0, high = holdings.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if holdings[middle].start <= position { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Walks the points in order, a valued curve's holdings with them (no search per point).
    public struct Iterator: IteratorProtocol {
        let curve: EquityCurve
        var position = 0
        var holding = 0

        public mutating func next() -> Point? {
            guard position < curve.count else { return nil }
            if curve.values == nil {
                while holding + 1 < curve.holdings.count && curve.holdings[holding + 1].start <= position { holding += 1 }
            }
            let point = Point(timestamp: Timestamp(nanoseconds: curve.times?[position] ?? curve.sharedTimestamps[position]),
                              equity: curve.amount(at: position, holding: holding))
            position += 1
            return point
        }
    }

    public func makeIterator() -> Iterator { Iterator(curve: self) }

    /// Calls `each` with the simple return of every point from `initial`, in order, worked out from
    /// the points as they are read, except that a run of points equal to the one before them (a
    /// valued curve's flat stretch after its first point) may come as one call of `zeros` with its
    /// length: each of those returns is exactly 0. With `drawdownAndSum`, also returns the longest
    /// time spent below a previous peak (in nanoseconds) and the sum of all values (initial included).
    @inline(__always)
    func forEachReturn(initial: Money, drawdownAndSum: Bool, _ each: (Double) -> Void,
                       zeros: (Int) -> Void) -> (longestUnderwater: Int64, sum: Double) {
        let n = count
        var previous = initial.doubleValue
        var previousValue = initial
        var total = previous
        var peak = initial
        var peakTime = n > 0 ? timestamp(at: 0) : 0
        var longest: Int64 = 0
        sharedTimestamps.withUnsafeBufferPointer { shared in
            // Through raw pointers: an optional and a bounds check per timestamp cost a quarter of the pass.
            guard let stamps = times.map({ UnsafePointer($0) }) ?? shared.baseAddress else { return }  // no points
            @inline(__always) func point(_ value: Money, _ k: Int) {
                let current: Double
                if value == previousValue && previous != 0 {
                    // Unchanged (flat, or a position whose price did not move): the same Double, and
                    // x / x - 1 is exactly 0, without converting the 128-bit amount again.
                    current = previous
                    each(0)
                } else {
                    current = value.doubleValue
                    each(current / previous - 1)
                }
                previous = current
                previousValue = value
                if drawdownAndSum {
                    total += current
                    let time = stamps[k]
                    if value >= peak {
                        peak = value
                        peakTime = time
                    } else if time - peakTime > longest {
                        longest = time - peakTime
                    }
                }
            }
            guard values == nil else {
                for k in 0..<n { point(values.unsafelyUnwrapped[k], k) }
                return
            }
            closes.withUnsafeBufferPointer { closes in
                for h in holdings.indices {
                    let holding = holdings[h]
                    let end = h + 1 < holdings.count ? holdings[h + 1].start : n
                    guard holding.quantity.isZero else {
                        for k in holding.start..<end { point(holding.cash + Price(units: closes[k]) * holding.quantity, k) }
                        continue
                    }
                    point(holding.cash, holding.start)
                    let run = end - holding.start - 1
                    guard run > 0 else { continue }
                    guard previous != 0 else {
                        for k in (holding.start + 1)..<end { point(holding.cash, k) }
                        continue
                    }
                    // The rest of a flat stretch: returns of exactly 0, the same value added to the
                    // sum once a point, and a peak that either moves to the stretch's last time or
                    // stays, leaving the stretch's last time the longest under water.
                    zeros(run)
                    if drawdownAndSum {
                        for _ in 0..<run { total += previous }
                        let time = stamps[end - 1]
                        if holding.cash >= peak {
                            peak = holding.cash
                            peakTime = time
                        } else if time - peakTime > longest {
                            longest = time - peakTime
                        }
                    }
                }
            }
        }
        return (longest, total)
    }

    /// Simple returns per period from `initial` through every point (the series the metrics use).
    public func periodReturns(initial: Money) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { out, initialized in
            var k = 0
            _ = forEachReturn(initial: initial, drawdownAndSum: false, { r in
                out[k] = r
                k += 1
            }, zeros: { run in
                (out.baseAddress! + k).initialize(repeating: 0, count: run)
                k += run
            })
            initialized = k
        }
    }

    /// Equity values as `Double`, for statistics.
    public func doubleValues() -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(count)
        forEachValue { result.append($0.doubleValue) }
        return result
    }

    /// Drops the `count` oldest points, moving the rest to the front, so a live bot keeps a window
    /// of recent equity (its store has every snapshot) and never reaches the capacity. A curve on
    /// shared bar timestamps (a backtest's) keeps every point.
    public func removeOldest(_ count: Int) {
        guard let times, let values else { return }
        let count = Swift.min(Swift.max(count, 0), self.count)
        guard count > 0 else { return }
        let kept = self.count - count
        UnsafeMutableRawPointer(values).copyMemory(from: values + count, byteCount: kept * MemoryLayout<Money>.stride)
        UnsafeMutableRawPointer(times).copyMemory(from: times + count, byteCount: kept * MemoryLayout<Int64>.stride)
        self.count = kept
    }
}
