/// A point in time: nanoseconds since 1970-01-01T00:00:00Z. Plain Int64 so that bars sort and
/// compare in one instruction and no time zone travels with the value.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    @inlinable public init(seconds: Int64) { self.nanoseconds = seconds * Timestamp.nanosPerSecond }

    public static let nanosPerSecond: Int64 = 1_000_000_000
    public static let nanosPerMinute: Int64 = 60 * nanosPerSecond
    public static let nanosPerDay: Int64 = 86_400 * nanosPerSecond

    /// The first and last calendar dates a timestamp holds with a day to spare either side for
    /// offsets: 64-bit nanoseconds span 1677-09-21 to 2262-04-11. Readers refuse dates outside (a
    /// `9999-12-31` "no end" sentinel) with a message instead of overflowing.
    public static let earliestDate = CivilDate(year: 1678, month: 1, day: 1)
    public static let latestDate = CivilDate(year: 2261, month: 12, day: 31)

    /// Whether `date` lies within `earliestDate...latestDate`.
    public static func holds(_ date: CivilDate) -> Bool {
        date.daysSinceEpoch >= earliestDate.daysSinceEpoch && date.daysSinceEpoch <= latestDate.daysSinceEpoch
    }

    /// Midnight UTC of a calendar date.
    public init(date: CivilDate) { self.nanoseconds = date.daysSinceEpoch * Timestamp.nanosPerDay }

    @inlinable public var seconds: Int64 { nanoseconds.floorDivided(by: Timestamp.nanosPerSecond) }

    /// The UTC calendar date this instant falls on.
    public var utcDate: CivilDate { CivilDate(daysSinceEpoch: nanoseconds.floorDivided(by: Timestamp.nanosPerDay)) }

    @inlinable public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    @inlinable public static func + (lhs: Timestamp, rhs: Int64) -> Timestamp { Timestamp(nanoseconds: lhs.nanoseconds + rhs) }

    /// ISO 8601 in UTC, with seconds, and a fraction only when there is one: `2015-01-02T14:30:00Z`.
    public var iso8601: String {
        let day = nanoseconds.floorDivided(by: Timestamp.nanosPerDay)
        let nanosOfDay = nanoseconds - day * Timestamp.nanosPerDay
        let date = CivilDate(daysSinceEpoch: day)
        let secondsOfDay = nanosOfDay / Timestamp.nanosPerSecond
        let fraction = nanosOfDay % Timestamp.nanosPerSecond
        var text = date.description + "T" + twoDigits(secondsOfDay / 3600) + ":" + twoDigits(secondsOfDay / 60 % 60)
            + ":" + twoDigits(secondsOfDay % 60)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    /// The date alone when the instant is midnight UTC (daily bars), otherwise full ISO 8601.
    public var compactDescription: String {
        nanoseconds % Timestamp.nanosPerDay == 0 ? utcDate.description : iso8601
    }

    public var description: String { iso8601 }

    private func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension Int64 {
    /// Division rounding toward negative infinity, so times before 1970 map to the right day.
    @inlinable public func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
