/// The bars of one instrument in time order, stored as one contiguous array per field so a
/// backtest walks plain integers (44 bytes a bar: volumes take 32 bits while they are whole
/// units below 2^32, see `VolumeColumn`) with no per-bar allocation.
public struct BarSeries: Sendable {
    public var instrument: Instrument
    @usableFromInline var _timestamps: [Int64] = []
    public var timestamps: [Int64] { _timestamps }
    @usableFromInline var _opens: [Int64] = []
    public var opens: [Int64] { _opens }
    @usableFromInline var _highs: [Int64] = []
    public var highs: [Int64] { _highs }
    @usableFromInline var _lows: [Int64] = []
    public var lows: [Int64] { _lows }
    @usableFromInline var _closes: [Int64] = []
    public var closes: [Int64] { _closes }
    @usableFromInline var _volumes = VolumeColumn()
    public var volumes: VolumeColumn { _volumes }

    public init(instrument: Instrument) { self.instrument = instrument }

    public init(instrument: Instrument, bars: [Bar]) {
        self.instrument = instrument
        reserveCapacity(bars.count)
        for bar in bars { append(bar) }
    }

    @inlinable public var count: Int { timestamps.count }
    @inlinable public var isEmpty: Bool { timestamps.isEmpty }

    public mutating func reserveCapacity(_ capacity: Int) {
        _timestamps.reserveCapacity(capacity)
        _opens.reserveCapacity(capacity)
        _highs.reserveCapacity(capacity)
        _lows.reserveCapacity(capacity)
        _closes.reserveCapacity(capacity)
        _volumes.reserveCapacity(capacity)
    }

    /// Appends a bar; callers validate (time order, OHLC consistency) before appending.
    @inlinable public mutating func append(_ bar: Bar) {
        append(
            timestamp: bar.timestamp.nanoseconds, open: bar.open.units, high: bar.high.units, low: bar.low.units,
            close: bar.close.units, volume: bar.volume.units)
    }

    @inlinable public mutating func append(timestamp: Int64, open: Int64, high: Int64, low: Int64, close: Int64, volume: Int128) {
        _timestamps.append(timestamp)
        _opens.append(open)
        _highs.append(high)
        _lows.append(low)
        _closes.append(close)
        _volumes.append(volume)
    }

    @inlinable public subscript(index: Int) -> Bar {
        Bar(
            timestamp: Timestamp(nanoseconds: timestamps[index]), open: Price(units: opens[index]),
            high: Price(units: highs[index]), low: Price(units: lows[index]), close: Price(units: closes[index]),
            volume: Quantity(units: volumes[index]))
    }

    /// The most common spacing between consecutive bars among the first thousand, in nanoseconds:
    /// the bar interval, robust to overnight and weekend gaps. One day when there are fewer than two bars.
    public var typicalInterval: Int64 {
        guard count >= 2 else { return Timestamp.nanosPerDay }
        var counts: [Int64: Int] = [:]
        for index in 1..<min(count, 1001) {
            counts[timestamps[index] - timestamps[index - 1], default: 0] += 1
        }
        // Ties go to the shorter gap; daily data spaced by weekends still has one day as its most common gap.
        return counts.max { a, b in a.value < b.value || (a.value == b.value && a.key > b.key) }!.key
    }

    /// Bars of this series, as values, for small series and tests.
    public var bars: [Bar] { (0..<count).map { self[$0] } }

    /// A copy holding the bars in `range`.
    public func slice(_ range: Range<Int>) -> BarSeries {
        var result = BarSeries(instrument: instrument)
        result.reserveCapacity(range.count)
        for index in range {
            result.append(timestamp: _timestamps[index], open: _opens[index], high: _highs[index], low: _lows[index],
                          close: _closes[index], volume: _volumes[index])
        }
        return result
    }
}

extension BarSeries {
    /// Raw column pointers for a tight loop over all bars, valid inside `body` only.
    public struct Columns {
        public let count: Int
        public let timestamps: UnsafeBufferPointer<Int64>
        public let opens: UnsafeBufferPointer<Int64>
        public let highs: UnsafeBufferPointer<Int64>
        public let lows: UnsafeBufferPointer<Int64>
        public let closes: UnsafeBufferPointer<Int64>
        public let volumes: VolumeColumn

        @inlinable public subscript(index: Int) -> Bar {
            Bar(timestamp: Timestamp(nanoseconds: timestamps[index]), open: Price(units: opens[index]),
                high: Price(units: highs[index]), low: Price(units: lows[index]), close: Price(units: closes[index]),
                volume: Quantity(units: volumes[index]))
        }
    }

    /// Calls `body` with pointers to the five price and time columns, and the volumes.
    public func withUnsafeColumns<R>(_ body: (Columns) throws -> R) rethrows -> R {
        try _timestamps.withUnsafeBufferPointer { t in
            try _opens.withUnsafeBufferPointer { o in
                try _highs.withUnsafeBufferPointer { h in
                    try _lows.withUnsafeBufferPointer { l in
                        try _closes.withUnsafeBufferPointer { c in
                            try body(Columns(count: t.count, timestamps: t, opens: o, highs: h, lows: l, closes: c, volumes: _volumes))
                        }
                    }
                }
            }
        }
    }
}
