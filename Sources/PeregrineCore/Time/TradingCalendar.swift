/// When an exchange trades: its zone and regular session hours. The venue uses it to expire day
/// orders at the session end, to hold a day order sent after the close for the next session, and
/// to fill regular orders only on bars inside the session. Trading days come from the bars
/// themselves, so holidays need no table here.
public struct TradingCalendar: Hashable, Sendable, CustomStringConvertible {
    public var zone: ZoneRule
    /// Session open and close in minutes after local midnight; close is exclusive.
    public var openMinute: Int
    public var closeMinute: Int

    public init(zone: ZoneRule, openMinute: Int, closeMinute: Int) {
        precondition(openMinute >= 0 && openMinute < closeMinute && closeMinute <= 1440)
        self.zone = zone
        self.openMinute = openMinute
        self.closeMinute = closeMinute
    }

    /// NYSE/Nasdaq regular hours, 09:30 to 16:00 New York time.
    public static let usEquity = TradingCalendar(zone: .usEastern, openMinute: 570, closeMinute: 960)
    /// Around the clock (crypto): every bar is in session; a session is a UTC day.
    public static let continuous = TradingCalendar(zone: .fixed(seconds: 0), openMinute: 0, closeMinute: 1440)

    /// Parses `us-equity`, `24x7`, or `HH:MM-HH:MM@ZONE` (ZONE as `ZoneRule(name:)` reads it).
    public init?(specification: String) {
        switch specification {
        case "us-equity": self = .usEquity; return
        case "24x7", "continuous": self = .continuous; return
        default: break
        }
        let parts = specification.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2, let zone = ZoneRule(name: parts[1]) else { return nil }
        let times = parts[0].split(separator: "-").map(String.init)
        guard times.count == 2, let open = TradingCalendar.minutes(times[0]), let close = TradingCalendar.minutes(times[1]),
              open < close else { return nil }
        self.init(zone: zone, openMinute: open, closeMinute: close)
    }

    private static func minutes(_ text: String) -> Int? {
        let pieces = text.split(separator: ":")
        guard pieces.count == 2, let h = Int(pieces[0]), let m = Int(pieces[1]), h >= 0, h <= 24, m >= 0, m < 60,
              h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    /// Where a bar that starts at `start` and lasts `interval` nanoseconds sits in its session.
    /// Bars of a day or longer are each a whole session of their own.
    public func position(ofBarStarting start: Timestamp, interval: Int64) -> SessionPosition {
        if interval >= Timestamp.nanosPerDay {
            // Daily bars carry a date; half a day of slack keeps any zone's midnight on that date.
            let day = (start.nanoseconds + Timestamp.nanosPerDay / 2).floorDivided(by: Timestamp.nanosPerDay)
            return SessionPosition(day: day, isInSession: true, endsSession: true, isAfterClose: true)
        }
        let local = start.nanoseconds + zone.offsetSeconds(at: start) * Timestamp.nanosPerSecond
        let day = local.floorDivided(by: Timestamp.nanosPerDay)
        let minuteOfDay = (local - day * Timestamp.nanosPerDay) / Timestamp.nanosPerMinute
        let endNanos = local - day * Timestamp.nanosPerDay + interval
        let inSession = minuteOfDay >= openMinute && minuteOfDay < closeMinute
        let endsSession = endNanos >= Int64(closeMinute) * Timestamp.nanosPerMinute
        let afterClose = endsSession || minuteOfDay >= closeMinute
        return SessionPosition(day: day, isInSession: inSession, endsSession: endsSession, isAfterClose: afterClose)
    }

    public var description: String {
        if self == .usEquity { return "us-equity" }
        if self == .continuous { return "24x7" }
        func hhmm(_ minutes: Int) -> String {
            let h = minutes / 60, m = minutes % 60
            return "\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
        }
        return "\(hhmm(openMinute))-\(hhmm(closeMinute))@\(zone)"
    }
}

/// A bar's place in the trading calendar.
public struct SessionPosition: Hashable, Sendable {
    /// Local trading day number (days since 1970-01-01 in the exchange's zone).
    public var day: Int64
    /// Whether the bar lies within regular hours, where regular orders may fill.
    public var isInSession: Bool
    /// Whether the bar ends at or after the session close: a decision on it is made after the close.
    public var endsSession: Bool
    /// Whether a decision on this bar comes after the day's close, so a day order waits for the
    /// next session; a bar before the open is not after the close.
    public var isAfterClose: Bool

    public init(day: Int64, isInSession: Bool, endsSession: Bool, isAfterClose: Bool) {
        self.day = day
        self.isInSession = isInSession
        self.endsSession = endsSession
        self.isAfterClose = isAfterClose
    }
}
