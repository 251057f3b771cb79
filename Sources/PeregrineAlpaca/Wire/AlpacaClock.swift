import Foundation
import PeregrineCore

/// `GET /v2/clock`: whether the market is open and when it next opens and closes, as instants.
public struct AlpacaClock: Equatable, Sendable {
    public var timestamp: Timestamp
    public var isOpen: Bool
    public var nextOpen: Timestamp
    public var nextClose: Timestamp

    public static func decode(_ data: Data) throws -> AlpacaClock {
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        let read = AlpacaFieldReader(document: "clock")
        return AlpacaClock(timestamp: try read.requiredTime(raw.timestamp, "timestamp"), isOpen: raw.is_open,
                           nextOpen: try read.requiredTime(raw.next_open, "next_open"),
                           nextClose: try read.requiredTime(raw.next_close, "next_close"))
    }

    struct Raw: Decodable {
        var timestamp: String
        var is_open: Bool
        var next_open: String
        var next_close: String
    }
}
