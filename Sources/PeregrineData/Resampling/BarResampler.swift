import PeregrineCore

/// Resamples bars to a coarser timeframe on a zone's clock, as pandas'
/// `resample(rule, label="left", closed="left", origin="start_day")` with first, max, min, last and
/// sum, then `dropna()`: each period's first open, highest high, lowest low, last close and exact
/// volume sum, stamped at the period's start; a period without bars gives no bar.
///
/// Periods follow the zone's clock (`PeriodGrid`): a 1H bar starts on the local hour, 4H bars at
/// 00, 04, 08 ... local, and a day bar is stamped at local midnight of its date, in UTC (midnight
/// in Berlin is 23:00Z the day before), and written as that date. Across a daylight-saving change
/// intraday periods stay on the local clock where pandas keeps a fixed length of time.
public struct BarResampler: Sendable {
    public let timeframe: Timeframe
    public let zone: TimeZoneSpec

    public init(timeframe: Timeframe, zone: TimeZoneSpec) {
        self.timeframe = timeframe
        self.zone = zone
    }

    /// The bars of `series` at this timeframe. A timeframe not coarser than the bars' interval, or
    /// not a whole number of intervals, is refused, as is a period whose summed volume passes
    /// `Quantity.maximum`; `source` names the data in the message.
    public func resample(_ series: BarSeries, source: String) throws(DataError) -> BarSeries {
        // With fewer than two bars there is no interval to check against.
        if series.count >= 2 {
            let interval = series.typicalInterval
            guard timeframe.nanoseconds > interval else {
                throw DataError(file: source, line: 0, message: "the bars are \(Self.describe(interval)) apart, so \(timeframe) "
                    + "is not a coarser timeframe; resample to a longer one of \(Timeframe.examples)")
            }
            guard timeframe.nanoseconds % interval == 0 else {
                throw DataError(file: source, line: 0, message: "the bars are \(Self.describe(interval)) apart and \(timeframe) "
                    + "is not a whole number of them, so a bar could straddle two periods; choose a multiple of the interval")
            }
        }
        var aggregator = BarAggregator(grid: PeriodGrid(timeframe: timeframe, zone: zone))
        var result = BarSeries(instrument: series.instrument)
        let (timestamps, opens, highs, lows, closes, volumes) =
            (series.timestamps, series.opens, series.highs, series.lows, series.closes, series.volumes)
        for index in 0..<series.count {
            if let bar = aggregator.add(timestamp: timestamps[index], open: opens[index], high: highs[index], low: lows[index],
                                        close: closes[index], volume: volumes[index]) {
                try append(bar, to: &result, source: source)
            }
        }
        if let bar = aggregator.finish() { try append(bar, to: &result, source: source) }
        return result
    }

    /// How the timestamp column of the resampled bars is written: day bars by their local date,
    /// intraday bars in ISO 8601 UTC.
    public var timestampStyle: BarCSVWriter.TimestampStyle { timeframe.isDay ? .date(in: zone) : .utc }

    private func append(_ bar: Bar, to result: inout BarSeries, source: String) throws(DataError) {
        guard bar.volume.isInRange else {
            throw DataError(file: source, line: 0, field: "volume", message: "the \(timeframe) bar of "
                + "\(BarCSVWriter.label(bar.timestamp, timestampStyle)) sums a volume beyond the largest a quantity holds "
                + "(\(Quantity.maximum))")
        }
        result.append(bar)
    }

    /// `1 minute`, `15 minutes`, `1 hour`, `1 day`, `30 seconds`.
    static func describe(_ interval: Int64) -> String {
        let units: [(Int64, String)] = [(Timestamp.nanosPerDay, "day"), (3600 * Timestamp.nanosPerSecond, "hour"),
                                        (Timestamp.nanosPerMinute, "minute"), (Timestamp.nanosPerSecond, "second")]
        for (length, name) in units where interval >= length && interval % length == 0 {
            let count = interval / length
            return "\(count) \(name)\(count == 1 ? "" : "s")"
        }
        return "\(interval) nanoseconds"
    }
}
