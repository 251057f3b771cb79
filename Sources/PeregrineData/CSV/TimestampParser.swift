import Foundation
import PeregrineCore

/// Reads the timestamp forms found in market data: `2015-01-02`, `20150102`, `2015-01-02T14:30:00Z`,
/// `2015-01-02 09:30:00`, `2015-01-02T09:30:00.250-05:00`, `20150102 09:30`. Times without an offset
/// are naive and read in `zone`; dates alone are midnight in `zone`.
public struct TimestampParser: Sendable {
    public let zone: TimeZoneSpec

    public init(zone: TimeZoneSpec = .rule(.fixed(seconds: 0))) { self.zone = zone }

    public enum Failure: Error, Equatable {
        case malformed
        case invalidDate
        /// A real date outside the years a timestamp holds (`Timestamp.earliestDate...latestDate`).
        case outOfRange
    }

    /// Result of a parse: the instant and whether the text carried its own offset.
    public struct Parsed: Equatable {
        public var timestamp: Timestamp
        public var hadOffset: Bool
        public var hadTime: Bool
    }

    public func parse<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Result<Parsed, Failure>
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var p = bytes.startIndex
        let end = bytes.endIndex
        @inline(__always) func digits(_ count: Int) -> Int? {
            guard end - p >= count else { return nil }
            var value = 0
            for k in 0..<count {
                let d = Int(bytes[p + k]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            p += count
            return value
        }
        @inline(__always) func accept(_ byte: UInt8) -> Bool {
            if p < end && bytes[p] == byte { p += 1; return true }
            return false
        }
        guard let year = digits(4) else { return .failure(.malformed) }
        let dashed = accept(UInt8(ascii: "-"))
        guard let month = digits(2) else { return .failure(.malformed) }
        if dashed && !accept(UInt8(ascii: "-")) { return .failure(.malformed) }
        guard let day = digits(2) else { return .failure(.malformed) }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid else { return .failure(.invalidDate) }
        guard Timestamp.holds(date) else { return .failure(.outOfRange) }
        var seconds = Int64(0)
        var nanos = Int64(0)
        var hadTime = false
        if p < end && (bytes[p] == UInt8(ascii: "T") || bytes[p] == UInt8(ascii: " ")) {
            p += 1
            guard let hour = digits(2), accept(UInt8(ascii: ":")), let minute = digits(2), hour < 24, minute < 60
            else { return .failure(.malformed) }
            var second = 0
            if accept(UInt8(ascii: ":")) {
                guard let s = digits(2), s < 61 else { return .failure(.malformed) }
                second = s
                if accept(UInt8(ascii: ".")) {
                    var scale: Int64 = 100_000_000
                    var sawDigit = false
                    while p < end, bytes[p] >= 48, bytes[p] <= 57 {
                        if scale > 0 { nanos += Int64(bytes[p] - 48) * scale }
                        scale /= 10
                        p += 1
                        sawDigit = true
                    }
                    if !sawDigit { return .failure(.malformed) }
                }
            }
            seconds = Int64(hour * 3600 + minute * 60 + second)
            hadTime = true
        }
        var offset: Int64? = nil
        if p < end {
            if accept(UInt8(ascii: "Z")) {
                offset = 0
            } else if bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-") {
                let negative = bytes[p] == UInt8(ascii: "-")
                p += 1
                guard let h = digits(2) else { return .failure(.malformed) }
                _ = accept(UInt8(ascii: ":"))
                guard let m = digits(2), h <= 14, m < 60 else { return .failure(.malformed) }
                let value = Int64(h * 3600 + m * 60)
                offset = negative ? -value : value
            }
        }
        guard p == end else { return .failure(.malformed) }
        let localSeconds = date.daysSinceEpoch * 86_400 + seconds
        let utc: Timestamp
        if let offset {
            utc = Timestamp(seconds: localSeconds - offset)
        } else {
            utc = zone.utc(fromLocalSeconds: localSeconds)
        }
        return .success(Parsed(timestamp: Timestamp(nanoseconds: utc.nanoseconds + nanos), hadOffset: offset != nil,
                               hadTime: hadTime))
    }
}

/// The zone naive times are read in: one of the built-in rules, or any IANA zone the system knows.
public enum TimeZoneSpec: Sendable, Equatable, CustomStringConvertible {
    case rule(ZoneRule)
    case system(identifier: String)

    /// `UTC`, `America/New_York`, `+01:00`, or any IANA identifier such as `Asia/Tokyo`.
    public init?(name: String) {
        if let rule = ZoneRule(name: name) {
            self = .rule(rule)
        } else if TimeZone(identifier: name) != nil {
            self = .system(identifier: name)
        } else {
            return nil
        }
    }

    public var isUTC: Bool { self == .rule(.fixed(seconds: 0)) }

    func utc(fromLocalSeconds local: Int64) -> Timestamp {
        switch self {
        case .rule(let rule):
            return rule.utc(fromLocalSeconds: local)
        case .system(let identifier):
            let zone = TimeZone(identifier: identifier)!
            let guess = local - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local))))
            let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess))))
            return Timestamp(seconds: local - offset)
        }
    }

    public var description: String {
        switch self {
        case .rule(let rule): return rule.description
        case .system(let identifier): return identifier
        }
    }
}

extension TimeZoneSpec: LocalTimeZone {
    /// Offset of local time from UTC at `instant`, in seconds: the rule's, or the system database's.
    public func offsetSeconds(at instant: Timestamp) -> Int64 {
        switch self {
        case .rule(let rule):
            return rule.offsetSeconds(at: instant)
        case .system(let identifier):
            let zone = TimeZone(identifier: identifier)!
            return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.seconds))))
        }
    }
}
