import ArgumentParser
import Foundation
import PeregrineCore
import PeregrineData

/// Closing prices of loaded bars as plain numbers, optionally as natural logs, for the statistics
/// commands; each keeps its symbol and file so an error can say where.
struct CloseSeries {
    var symbol: String
    var file: String
    var timestamps: [Int64]
    var values: [Double]

    /// Every source's closes; with `log`, their natural logs (a close of zero or less is refused).
    static func load(_ dataOptions: DataOptions, log useLog: Bool) throws -> [CloseSeries] {
        try dataOptions.load().map { source in
            let series = source.series
            var values = series.closes.map { Double($0) / Double(Price.scale) }
            if useLog {
                if let index = values.firstIndex(where: { $0 <= 0 }) {
                    throw CLIFailure("\(source.name): close \(values[index]) of bar \(index + 1) "
                        + "(\(Timestamp(nanoseconds: series.timestamps[index]).compactDescription)) has no logarithm; drop --log or fix the data")
                }
                values = values.map { Foundation.log($0) }
            }
            return CloseSeries(symbol: series.instrument.symbol, file: source.name, timestamps: series.timestamps, values: values)
        }
    }

    /// The values of several series on the timestamps they all have, in time order.
    static func aligned(_ series: [CloseSeries]) -> (timestamps: [Int64], values: [[Double]]) {
        guard var common = series.first.map({ Set($0.timestamps) }) else { return ([], []) }
        for other in series.dropFirst() { common.formIntersection(other.timestamps) }
        let timestamps = common.sorted()
        let values = series.map { one in
            var byTime: [Int64: Double] = [:]
            for (time, value) in zip(one.timestamps, one.values) { byTime[time] = value }
            return timestamps.map { byTime[$0]! }
        }
        return (timestamps, values)
    }
}
