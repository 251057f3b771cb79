/// When a bot acts. A strategy sees every bar (its indicators stay current), but its signals and
/// orders count only on the bars its schedule admits; on the others they are held as `off_schedule`.
/// Exit rules and risk limits act on every bar regardless.
///
/// - `every bar`: always (the default).
/// - `every 15m`: bars starting on a multiple of 15 minutes of the local day.
/// - `daily 15:45 America/New_York`: once a local day, on the first bar starting at or after 15:45
///   (every instrument's bar at that same time counts too).
public enum TradingSchedule: Sendable, Equatable, CustomStringConvertible {
    case everyBar
    case everyMinutes(Int, zone: ZoneRule)
    case daily(minute: Int, zone: ZoneRule)

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `every bar`, `every 15m` (or `every 2h`, with an optional zone), `daily HH:MM ZONE` (New York by default).
    public init(parsing text: String) throws(ParseError) {
        let words = text.split(separator: " ").map(String.init)
        let failure = ParseError(description: "schedule '\(text)': expected \"every bar\", \"every 15m\", \"every 1h\" or \"daily 15:45 America/New_York\"")
        func zone(_ index: Int) throws(ParseError) -> ZoneRule {
            guard words.count > index else { return .usEastern }
            guard let rule = ZoneRule(name: words[index]) else { throw ParseError(description: "schedule '\(text)': unknown time zone \(words[index])") }
            return rule
        }
        switch words.first {
        case "every" where words.count == 2 && words[1] == "bar":
            self = .everyBar
        case "every" where words.count >= 2:
            let spec = words[1]
            guard let unit = spec.last, unit == "m" || unit == "h", let count = Int(spec.dropLast()), count > 0 else { throw failure }
            let minutes = unit == "h" ? count * 60 : count
            guard minutes <= 24 * 60, (24 * 60) % minutes == 0 || minutes <= 60 else {
                throw ParseError(description: "schedule '\(text)': a period must divide the day (e.g. 5m, 15m, 1h, 4h)")
            }
            self = .everyMinutes(minutes, zone: try zone(2))
        case "daily" where words.count >= 2:
            let parts = words[1].split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else { throw failure }
            self = .daily(minute: parts[0] * 60 + parts[1], zone: try zone(2))
        default:
            throw failure
        }
    }

    public var description: String {
        switch self {
        case .everyBar: return "every bar"
        case .everyMinutes(let n, let zone): return n % 60 == 0 ? "every \(n / 60)h \(zone)" : "every \(n)m \(zone)"
        case .daily(let minute, let zone): return "daily \(minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60) \(zone)"
        }
    }

    /// What a daily schedule remembers: the local day it last acted on and the bar time it acted at.
    public struct State: Sendable, Equatable {
        var day: Int64?
        var time: Int64?
        public init() {}
    }

    /// Whether the bar starting at `start` is one the bot acts on.
    public func admits(_ start: Timestamp, state: inout State) -> Bool {
        switch self {
        case .everyBar:
            return true
        case .everyMinutes(let n, let zone):
            let (_, minute) = Self.local(start, zone)
            return minute % n == 0 && Self.onMinute(start, zone)
        case .daily(let target, let zone):
            if state.time == start.nanoseconds { return true }
            let (day, minute) = Self.local(start, zone)
            guard minute >= target, state.day != day else { return false }
            state.day = day
            state.time = start.nanoseconds
            return true
        }
    }

    private static func local(_ time: Timestamp, _ zone: ZoneRule) -> (day: Int64, minute: Int) {
        let local = time.nanoseconds + zone.offsetSeconds(at: time) * Timestamp.nanosPerSecond
        let day = local.floorDivided(by: Timestamp.nanosPerDay)
        return (day, Int((local - day * Timestamp.nanosPerDay) / Timestamp.nanosPerMinute))
    }

    /// Whether the time falls exactly on a minute (a bar at 10:15:30 is not a 15-minute mark).
    private static func onMinute(_ time: Timestamp, _ zone: ZoneRule) -> Bool {
        (time.nanoseconds + zone.offsetSeconds(at: time) * Timestamp.nanosPerSecond).floorModulo(Timestamp.nanosPerMinute) == 0
    }
}
