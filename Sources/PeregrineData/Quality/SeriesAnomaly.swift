import PeregrineCore

/// Something in a series a person should look at before trusting a backtest on it: a price jump that
/// matches a split ratio, missing sessions, bars repeated unchanged, a return far outside the rest.
/// Found by `SeriesAnomaly.find`, printed by `peregrine data validate`; none of them is an error (a
/// real crash looks like an outlier), so the rows stay as they are.
public struct SeriesAnomaly: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Previous close over this open is within 3% of a common split ratio (`ratio` > 1 for a
        /// split, < 1 for a reverse split).
        case likelySplit(ratio: Double)
        /// Sessions the calendar expects with no bar (`missing` weekdays for daily US equities, days
        /// for around-the-clock markets, intervals inside one intraday session).
        case calendarGap(missing: Int)
        /// `count` bars in a row with the same open, high, low and close.
        case staleBars(count: Int)
        /// A close-to-close log return `sigmas` robust standard deviations from the median.
        case outlierReturn(logReturn: Double, sigmas: Double)
    }

    public var kind: Kind
    /// The bar where it shows (the first bar after a gap, the last of a stale run).
    public var timestamp: Timestamp
    public var detail: String

    public var description: String { "\(label) on \(timestamp.compactDescription): \(detail)" }

    var label: String {
        switch kind {
        case .likelySplit(let ratio):
            return ratio >= 1 ? "likely \(Self.ratioText(ratio)):1 split" : "likely 1:\(Self.ratioText(1 / ratio)) reverse split"
        case .calendarGap: return "calendar gap"
        case .staleBars: return "stale bars"
        case .outlierReturn: return "outlier return"
        }
    }

    /// A double rounded to a whole number as text, whatever its size (never an `Int` trap).
    static func whole(_ value: Double) -> String {
        abs(value) < 1e15 ? String(Int(value.rounded())) : String(value.rounded())
    }

    static func ratioText(_ value: Double) -> String {
        value == value.rounded() ? whole(value) : String(value)
    }

    /// Ratios of the splits companies announce, forward; reverse splits are their inverses.
    static let splitRatios: [Double] = [1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 15, 20, 25, 30, 40, 50, 100]

    /// The anomalies of a series, in time order. `calendar` says which sessions to expect; outliers
    /// are returns more than `outlierSigmas` robust deviations (1.4826 times the median absolute
    /// deviation) from the median return, once there are 30 returns to measure against.
    public static func find(in series: BarSeries, calendar: TradingCalendar, outlierSigmas: Double = 8) -> [SeriesAnomaly] {
        guard series.count >= 2 else { return [] }
        var found: [SeriesAnomaly] = []
        let interval = series.typicalInterval
        let daily = interval >= Timestamp.nanosPerDay
        let weekdaysOnly = calendar.closeMinute - calendar.openMinute < 1440
        var splitBars = Set<Int>()
        var stale = 1
        for t in 1..<series.count {
            let previous = series[t - 1], bar = series[t]
            let ratio = previous.close.doubleValue / bar.open.doubleValue
            if let match = splitRatios.first(where: { abs(ratio / $0 - 1) <= 0.03 || abs(ratio * $0 - 1) <= 0.03 }) {
                let signed = ratio >= 1 ? match : 1 / match
                splitBars.insert(t)
                found.append(SeriesAnomaly(kind: .likelySplit(ratio: signed), timestamp: bar.timestamp,
                                           detail: "close \(previous.close) on \(previous.timestamp.compactDescription), then open \(bar.open)"))
            }
            let missing = missingSessions(from: previous.timestamp, to: bar.timestamp, interval: interval, daily: daily,
                                          weekdaysOnly: weekdaysOnly, calendar: calendar)
            if missing > 0 {
                found.append(SeriesAnomaly(kind: .calendarGap(missing: missing), timestamp: bar.timestamp,
                                           detail: "\(missing) \(daily ? (weekdaysOnly ? "weekday" : "day") : "interval")\(missing == 1 ? "" : "s") "
                                               + "without a bar since \(previous.timestamp.compactDescription)"))
            }
            let same = bar.open == previous.open && bar.high == previous.high && bar.low == previous.low && bar.close == previous.close
            if same { stale += 1 }
            if (!same || t == series.count - 1) && stale >= 3 {
                let last = same ? t : t - 1
                found.append(SeriesAnomaly(kind: .staleBars(count: stale), timestamp: series[last].timestamp,
                                           detail: "\(stale) bars in a row at open \(series[last].open), close \(series[last].close)"))
            }
            if !same { stale = 1 }
        }
        found += outliers(in: series, excluding: splitBars, sigmas: outlierSigmas)
        return found.sorted { $0.timestamp < $1.timestamp }
    }

    /// Sessions between two consecutive bars that have no bar: weekdays (or days) for daily bars, and
    /// whole intervals inside one day for intraday bars (nights and weekends are not gaps).
    static func missingSessions(from start: Timestamp, to end: Timestamp, interval: Int64, daily: Bool, weekdaysOnly: Bool,
                                calendar: TradingCalendar) -> Int {
        if daily {
            let first = start.nanoseconds.floorDivided(by: Timestamp.nanosPerDay) + 1
            let last = end.nanoseconds.floorDivided(by: Timestamp.nanosPerDay) - 1
            guard last >= first else { return 0 }
            if !weekdaysOnly { return Int(last - first + 1) }
            var weekdays = 0
            for day in first...last where (day + 4).floorModulo(7) % 6 != 0 { weekdays += 1 }
            // One weekday without a bar is a holiday, not a gap.
            return weekdays >= 2 ? weekdays : 0
        }
        let offset = calendar.zone.offsetSeconds(at: start) * Timestamp.nanosPerSecond
        let sameDay = (start.nanoseconds + offset).floorDivided(by: Timestamp.nanosPerDay)
            == (end.nanoseconds + offset).floorDivided(by: Timestamp.nanosPerDay)
        let skipped = Int((end.nanoseconds - start.nanoseconds) / max(interval, 1)) - 1
        return sameDay && skipped >= 3 ? skipped : 0
    }

    static func outliers(in series: BarSeries, excluding splits: Set<Int>, sigmas: Double) -> [SeriesAnomaly] {
        var returns: [(index: Int, value: Double)] = []
        for t in 1..<series.count where !splits.contains(t) {
            let value = Foundationless.log(series[t].close.doubleValue / series[t - 1].close.doubleValue)
            if value.isFinite { returns.append((t, value)) }
        }
        guard returns.count >= 30 else { return [] }
        let sorted = returns.map(\.value).sorted()
        let median = sorted[sorted.count / 2]
        let deviations = sorted.map { abs($0 - median) }.sorted()
        let scale = 1.4826 * deviations[deviations.count / 2]
        guard scale > 0 else { return [] }
        return returns.compactMap { item in
            let distance = abs(item.value - median) / scale
            guard distance > sigmas else { return nil }
            let bar = series[item.index]
            let percent = (Foundationless.exp(item.value) - 1) * 100
            return SeriesAnomaly(kind: .outlierReturn(logReturn: item.value, sigmas: distance), timestamp: bar.timestamp,
                                 detail: "close \(series[item.index - 1].close) to \(bar.close) (\(percent >= 0 ? "+" : "")\(whole(percent))%), "
                                     + "\(whole(distance)) robust deviations from the median return")
        }
    }
}
