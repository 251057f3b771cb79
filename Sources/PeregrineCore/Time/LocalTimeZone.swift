/// A zone as resampling needs it: its offset from UTC at any instant. The built-in `ZoneRule`s are
/// one; a reader that knows the operating system's zones (PeregrineData's `TimeZoneSpec`) is
/// another, so periods follow any zone's clock while this module stays free of Foundation.
public protocol LocalTimeZone: Sendable, Equatable {
    /// Offset of local time from UTC at `instant`, in seconds.
    func offsetSeconds(at instant: Timestamp) -> Int64
}

extension ZoneRule: LocalTimeZone {}
