/// Folds bars, in time order, into bars of a coarser timeframe: the first open, highest high,
/// lowest low and last close of each period, its volumes summed exactly, stamped at the period's
/// start (bars are stamped at their start). A bar belongs to the period its own start falls in;
/// a period no bar falls in gives no bar. The offline resampler and a strategy's coarser view
/// both fold through this one type, so they cannot disagree.
public struct BarAggregator<Zone: LocalTimeZone>: Sendable {
    public let grid: PeriodGrid<Zone>
    /// The period being filled; empty (`0..<0`) before the first bar and after `close`.
    private var period: Range<Int64> = 0..<0
    private var hasBar = false
    private var open: Int64 = 0
    private var high: Int64 = 0
    private var low: Int64 = 0
    private var close: Int64 = 0
    private var volume: Int128 = 0
    /// The end of the last period handed out by `close(endedBy:)`: a bar stamped before it (bars
    /// that overlap, closer together than the interval assumed) joins the next period, so a bar
    /// once handed out never changes.
    private var closedUntil = Int64.min

    public init(grid: PeriodGrid<Zone>) { self.grid = grid }

    /// Adds the next bar; returns the finished bar of the period before when this bar starts a new one.
    @inlinable
    public mutating func add(_ bar: Bar) -> Bar? {
        add(timestamp: bar.timestamp.nanoseconds, open: bar.open.units, high: bar.high.units, low: bar.low.units,
            close: bar.close.units, volume: bar.volume.units)
    }

    /// `add(_:)` on a bar's columns.
    public mutating func add(timestamp: Int64, open: Int64, high: Int64, low: Int64, close: Int64, volume: Int128) -> Bar? {
        let time = max(timestamp, closedUntil)
        if hasBar && period.contains(time) {
            if high > self.high { self.high = high }
            if low < self.low { self.low = low }
            self.close = close
            // Saturates instead of trapping; a period's volume past `Quantity.maximum` is refused by its reader.
            let (sum, overflow) = self.volume.addingReportingOverflow(volume)
            self.volume = overflow ? Int128.max : sum
            return nil
        }
        let finished = pending
        period = grid.period(containing: time)
        hasBar = true
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        return finished
    }

    /// The bar of the period being filled, not yet finished; nil when there is none.
    public var pending: Bar? {
        guard hasBar else { return nil }
        return Bar(timestamp: Timestamp(nanoseconds: period.lowerBound), open: Price(units: open), high: Price(units: high),
                   low: Price(units: low), close: Price(units: close), volume: Quantity(units: volume))
    }

    /// The end of the period being filled (nil when there is none).
    public var pendingEnd: Int64? { hasBar ? period.upperBound : nil }

    /// Finishes the period being filled if `time` is at or past its end, and returns its bar.
    public mutating func close(endedBy time: Int64) -> Bar? {
        guard hasBar, time >= period.upperBound else { return nil }
        return finish()
    }

    /// Finishes the period being filled, whatever the time (the end of the data), and returns its bar.
    public mutating func finish() -> Bar? {
        let finished = pending
        if hasBar { closedUntil = period.upperBound }
        hasBar = false
        return finished
    }
}
