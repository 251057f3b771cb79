import PeregrineCore

/// Writes bars as `timestamp,open,high,low,close,volume`, the format `BarCSVReader` reads back
/// exactly: dates alone for midnight-UTC bars, ISO 8601 UTC otherwise.
public enum BarCSVWriter {
    public static func write(_ series: BarSeries, to path: String) throws(DataError) {
        let writer = try TextFileWriter(path: path)
        try writer.writeLine("timestamp,open,high,low,close,volume")
        for index in 0..<series.count {
            let bar = series[index]
            try writer.writeLine("\(bar.timestamp.compactDescription),\(bar.open),\(bar.high),\(bar.low),\(bar.close),\(bar.volume)")
        }
        try writer.close()
    }
}
