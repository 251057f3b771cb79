import PeregrineCore

/// Hand-made bars for tests: `bar("2024-01-02", 10, 11, 9, 10.5)` with exact decimal prices.
public enum BarBuilder {
    /// Daily bar at midnight UTC of `date` (YYYY-MM-DD).
    public static func bar(_ date: String, _ open: String, _ high: String, _ low: String, _ close: String,
                           volume: Int = 1_000_000) -> Bar {
        Bar(timestamp: Timestamp(date: civil(date)), open: Price(open)!, high: Price(high)!, low: Price(low)!,
            close: Price(close)!, volume: Quantity(volume))
    }

    /// Bar at a UTC instant `2024-01-02T14:30`.
    public static func bar(at time: String, _ open: String, _ high: String, _ low: String, _ close: String,
                           volume: Int = 1_000_000) -> Bar {
        let parts = time.split(separator: "T")
        let hm = parts[1].split(separator: ":").map { Int64($0)! }
        let ts = Timestamp(date: civil(String(parts[0]))).nanoseconds + (hm[0] * 3600 + hm[1] * 60) * Timestamp.nanosPerSecond
        return Bar(timestamp: Timestamp(nanoseconds: ts), open: Price(open)!, high: Price(high)!, low: Price(low)!,
                   close: Price(close)!, volume: Quantity(volume))
    }

    public static func civil(_ date: String) -> CivilDate {
        let p = date.split(separator: "-").map { Int($0)! }
        return CivilDate(year: p[0], month: p[1], day: p[2])
    }

    /// Consecutive weekday daily bars from `start`, flat (O=H=L=C) at the given closes.
    public static func flatDaily(_ closes: [String], start: String = "2024-01-01") -> [Bar] {
        var day = civil(start)
        var bars: [Bar] = []
        for close in closes {
            while day.weekday == 0 || day.weekday == 6 { day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1) }
            bars.append(bar(day.description, close, close, close, close))
            day = CivilDate(daysSinceEpoch: day.daysSinceEpoch + 1)
        }
        return bars
    }
}
