import PeregrineCore

/// Writes bars as `timestamp,open,high,low,close,volume`, the format `BarCSVReader` reads back
/// exactly, prices and volumes as exact decimal text.
public enum BarCSVWriter {
    /// How the timestamp column is written.
    public enum TimestampStyle: Sendable {
        /// The date alone for midnight-UTC bars (daily data), ISO 8601 UTC otherwise.
        case compact
        /// Always ISO 8601 UTC (`2006-01-02T08:00:00Z`), for intraday bars.
        case utc
        /// The bar's calendar date in a zone (`2006-01-02`), for day bars stamped at local midnight:
        /// read back with the same `--timezone`, each date is that midnight again.
        case date(in: TimeZoneSpec)
    }

    public static func write(_ series: BarSeries, to path: String, timestamps style: TimestampStyle = .compact) throws(DataError) {
        let writer = try TextFileWriter(path: path)
        try writer.writeLine("timestamp,open,high,low,close,volume")
        for index in 0..<series.count {
            let bar = series[index]
            try writer.writeLine("\(label(bar.timestamp, style)),\(bar.open),\(bar.high),\(bar.low),\(bar.close),\(bar.volume)")
        }
        try writer.close()
    }

    /// The timestamp column's text for `time`.
    public static func label(_ time: Timestamp, _ style: TimestampStyle) -> String {
        switch style {
        case .compact:
            return time.compactDescription
        case .utc:
            return time.iso8601
        case .date(let zone):
            let local = time.nanoseconds + zone.offsetSeconds(at: time) * Timestamp.nanosPerSecond
            return CivilDate(daysSinceEpoch: local.floorDivided(by: Timestamp.nanosPerDay)).description
        }
    }
}
