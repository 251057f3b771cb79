/// A bar length to resample to: a number of minutes or hours that divides a day, or one day.
/// Periods follow a zone's clock (`PeriodGrid`): a 1H period starts on the hour there, 4H periods
/// at 00:00, 04:00, 08:00 ... local, a day at local midnight.
public struct Timeframe: Hashable, Sendable, CustomStringConvertible {
    /// The nominal length; a period that spans a daylight-saving change is an hour longer or shorter.
    public let nanoseconds: Int64

    private init(minutes: Int64) { nanoseconds = minutes * Timestamp.nanosPerMinute }

    /// `count` minutes; `count` must divide a day (1440 minutes), as 1, 5, 15, 30 or 60 do.
    public static func minutes(_ count: Int) -> Timeframe {
        precondition(count > 0 && 1440 % count == 0, "a timeframe of \(count) minutes does not divide a day")
        return Timeframe(minutes: Int64(count))
    }

    /// `count` hours; `count` must divide a day (1, 2, 3, 4, 6, 8, 12 or 24).
    public static func hours(_ count: Int) -> Timeframe { minutes(count * 60) }

    public static let day = Timeframe(minutes: 1440)

    /// Whether periods are calendar days in the zone.
    public var isDay: Bool { nanoseconds == Timestamp.nanosPerDay }

    /// Reads `5Min`, `15Min`, `30Min`, `1H`, `4H`, `1D` (any letter case; also `T` for minutes and
    /// `Hour`, `Day` as Alpaca writes them); nil unless the length divides a day.
    public init?(_ text: String) {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 4, let count = Int64(digits), count > 0 else { return nil }
        let minutesPerUnit: Int64
        switch text.dropFirst(digits.count).lowercased() {
        case "min", "t": minutesPerUnit = 1
        case "h", "hour": minutesPerUnit = 60
        case "d", "day": minutesPerUnit = 1440
        default: return nil
        }
        let minutes = count * minutesPerUnit
        guard minutes <= 1440, 1440 % minutes == 0 else { return nil }
        self.init(minutes: minutes)
    }

    /// What `init?(_:)` reads: `5Min`, `1H`, `1D`.
    public var description: String {
        let minutes = nanoseconds / Timestamp.nanosPerMinute
        if minutes == 1440 { return "1D" }
        return minutes % 60 == 0 ? "\(minutes / 60)H" : "\(minutes)Min"
    }

    /// The forms `init?(_:)` reads, for messages.
    public static let examples = "5Min, 15Min, 30Min, 1H, 4H or 1D"
}
