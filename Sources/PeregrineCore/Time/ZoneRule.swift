/// The UTC offset of an exchange's local time, with daylight-saving rules written out so session
/// boundaries are computed without the operating system's time zone database.
public enum ZoneRule: Hashable, Sendable, CustomStringConvertible {
    /// A constant offset from UTC in seconds (UTC itself is `.fixed(0)`).
    case fixed(seconds: Int)
    /// US Eastern time: UTC-5, daylight UTC-4 (2007 rules: second Sunday of March to first Sunday
    /// of November; before 2007 first Sunday of April to last Sunday of October), switching at 02:00 local.
    case usEastern
    /// Central European time: UTC+1, summer UTC+2 from the last Sunday of March to the last Sunday
    /// of October, switching at 01:00 UTC.
    case centralEurope

    /// Parses `UTC`, `America/New_York`, `Europe/Berlin` (and other CET zones), or `+HH:MM`/`-HH:MM`.
    public init?(name: String) {
        switch name {
        case "UTC", "Z", "Etc/UTC", "GMT": self = .fixed(seconds: 0)
        case "America/New_York", "US/Eastern", "EST5EDT": self = .usEastern
        case "Europe/Berlin", "Europe/Paris", "Europe/Frankfurt", "Europe/Amsterdam", "Europe/Zurich", "CET":
            self = .centralEurope
        default:
            let bytes = Array(name.utf8)
            guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
                  bytes[3] == UInt8(ascii: ":"),
                  let hours = Int(String(decoding: bytes[1...2], as: UTF8.self)),
                  let minutes = Int(String(decoding: bytes[4...5], as: UTF8.self)),
                  hours <= 14, minutes < 60 else { return nil }
            let seconds = hours * 3600 + minutes * 60
            self = .fixed(seconds: bytes[0] == UInt8(ascii: "-") ? -seconds : seconds)
        }
    }

    /// Offset of local time from UTC at `instant`, in seconds.
    public func offsetSeconds(at instant: Timestamp) -> Int64 {
        switch self {
        case .fixed(let seconds):
            return Int64(seconds)
        case .usEastern:
            let year = instant.utcDate.year
            let (startDay, endDay): (CivilDate, CivilDate) = year >= 2007
                ? (CivilDate.nthWeekday(0, 2, month: 3, year: year), CivilDate.nthWeekday(0, 1, month: 11, year: year))
                : (CivilDate.nthWeekday(0, 1, month: 4, year: year), CivilDate.nthWeekday(0, -1, month: 10, year: year))
            // 02:00 EST = 07:00 UTC at the start; 02:00 EDT = 06:00 UTC at the end.
            let start = Timestamp(date: startDay).seconds + 7 * 3600
            let end = Timestamp(date: endDay).seconds + 6 * 3600
            let s = instant.seconds
            return s >= start && s < end ? -4 * 3600 : -5 * 3600
        case .centralEurope:
            let year = instant.utcDate.year
            let start = Timestamp(date: CivilDate.nthWeekday(0, -1, month: 3, year: year)).seconds + 3600
            let end = Timestamp(date: CivilDate.nthWeekday(0, -1, month: 10, year: year)).seconds + 3600
            let s = instant.seconds
            return s >= start && s < end ? 2 * 3600 : 3600
        }
    }

    /// Converts a local wall-clock time (seconds since the epoch as if local were UTC) to UTC.
    /// In the repeated hour of a fall-back the earlier instant is chosen; a time in the skipped
    /// hour of a spring-forward is read with the standard offset.
    public func utc(fromLocalSeconds local: Int64) -> Timestamp {
        let firstGuess = local - offsetSeconds(at: Timestamp(seconds: local))
        let offset = offsetSeconds(at: Timestamp(seconds: firstGuess))
        let candidate = local - offset
        if offsetSeconds(at: Timestamp(seconds: candidate)) == offset {
            let earlierOffset = offsetSeconds(at: Timestamp(seconds: candidate - 3600))
            if earlierOffset != offset, local - earlierOffset < candidate,
               offsetSeconds(at: Timestamp(seconds: local - earlierOffset)) == earlierOffset {
                return Timestamp(seconds: local - earlierOffset)
            }
            return Timestamp(seconds: candidate)
        }
        return Timestamp(seconds: firstGuess)
    }

    public var description: String {
        switch self {
        case .fixed(0): return "UTC"
        case .fixed(let seconds):
            let sign = seconds < 0 ? "-" : "+"
            let magnitude = abs(seconds)
            let h = magnitude / 3600, m = magnitude / 60 % 60
            return "\(sign)\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
        case .usEastern: return "America/New_York"
        case .centralEurope: return "Europe/Berlin"
        }
    }
}
