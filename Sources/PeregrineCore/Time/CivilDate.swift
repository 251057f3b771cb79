/// A proleptic Gregorian calendar date, converted to and from a day count without Foundation
/// (Howard Hinnant's days-from-civil algorithm), so the kernel stays free of I/O and locale.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`, or nil unless it names a real date a timestamp can hold
    /// (`Timestamp.earliestDate...latestDate`).
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard parts.count == 3, parts.allSatisfy({ $0 >= 0 && $0 < 100_000 }) else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
        guard isValid, Timestamp.holds(self) else { return nil }
    }

    /// Whether the fields name a real date (February 30th does not).
    public var isValid: Bool {
        month >= 1 && month <= 12 && day >= 1 && day <= CivilDate.daysIn(month: month, year: year)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(daysSinceEpoch: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        self.month = Int(m)
        self.day = Int(d)
    }

    public var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 0 = Sunday ... 6 = Saturday.
    public var weekday: Int {
        let days = daysSinceEpoch
        return Int((days + 4).floorModulo(7))  // 1970-01-01 was a Thursday
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public var description: String {
        let y = String(year)
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(String(repeating: "0", count: max(0, 4 - y.count)))\(y)-\(m)-\(d)"
    }

    /// The n-th given weekday of a month (n = 1...5), or the last one when n is -1.
    public static func nthWeekday(_ weekday: Int, _ n: Int, month: Int, year: Int) -> CivilDate {
        if n > 0 {
            let first = CivilDate(year: year, month: month, day: 1)
            let offset = (weekday - first.weekday + 7) % 7
            return CivilDate(year: year, month: month, day: 1 + offset + 7 * (n - 1))
        }
        let last = CivilDate(year: year, month: month, day: daysIn(month: month, year: year))
        let offset = (last.weekday - weekday + 7) % 7
        return CivilDate(year: year, month: month, day: last.day - offset)
    }
}

extension Int64 {
    @inlinable public func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
