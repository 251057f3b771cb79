import Foundation
import PeregrineCore

/// The system clock as a `Timestamp`, for records of when something happened (runs started,
/// intents written); market time comes from bars, never from here. Core stays free of Foundation.
public enum WallClock {
    public static func now() -> Timestamp { timestamp(Date()) }

    public static func timestamp(_ date: Date) -> Timestamp {
        Timestamp(nanoseconds: Int64(date.timeIntervalSince1970 * 1e9))
    }
}
