/// A `TradingCalendar` with a one-day memory: bars of the same local day are placed with plain
/// arithmetic instead of recomputing daylight-saving rules for every bar.
public struct SessionClock: Sendable {
    public let calendar: TradingCalendar
    /// Bar length in nanoseconds.
    public let interval: Int64
    /// UTC window of the cached local day, and its constant offset; empty until first use.
    private var windowStart: Int64 = 0
    private var windowEnd: Int64 = 0
    private var offsetNanos: Int64 = 0

    public init(calendar: TradingCalendar, interval: Int64) {
        self.calendar = calendar
        self.interval = interval
    }

    public mutating func position(ofBarStarting start: Timestamp) -> SessionPosition {
        let t = start.nanoseconds
        if interval >= Timestamp.nanosPerDay || t < windowStart || t >= windowEnd {
            let result = calendar.position(ofBarStarting: start, interval: interval)
            if interval < Timestamp.nanosPerDay { remember(dayOf: start, localDay: result.day) }
            return result
        }
        let local = t + offsetNanos
        let day = local.floorDivided(by: Timestamp.nanosPerDay)
        let nanosOfDay = local - day * Timestamp.nanosPerDay
        let minuteOfDay = nanosOfDay / Timestamp.nanosPerMinute
        let inSession = minuteOfDay >= calendar.openMinute && minuteOfDay < calendar.closeMinute
        let endsSession = nanosOfDay + interval >= Int64(calendar.closeMinute) * Timestamp.nanosPerMinute
        return SessionPosition(day: day, isInSession: inSession, endsSession: endsSession,
                               isAfterClose: endsSession || minuteOfDay >= calendar.closeMinute)
    }

    /// The local day of a bar starting at `start`, as `position(ofBarStarting:)` gives it, without
    /// working out the rest of the position on a cached day; and `until`, the time before which every
    /// later bar start has the same day (the end of the cached day, or `start` plus one nanosecond
    /// when no day is cached). Daily risk limits need the day every bar, and ask again only past `until`.
    public mutating func day(ofBarStarting start: Timestamp) -> (day: Int64, until: Int64) {
        let t = start.nanoseconds
        if interval < Timestamp.nanosPerDay && t >= windowStart && t < windowEnd {
            return ((t + offsetNanos).floorDivided(by: Timestamp.nanosPerDay), windowEnd)
        }
        let day = position(ofBarStarting: start).day
        let cached = interval < Timestamp.nanosPerDay && t >= windowStart && t < windowEnd
        return (day, cached ? windowEnd : (t < .max ? t + 1 : t))
    }

    /// Caches the local day only when the zone's offset is the same all day (not a DST switch day).
    private mutating func remember(dayOf start: Timestamp, localDay: Int64) {
        let offset = calendar.zone.offsetSeconds(at: start) * Timestamp.nanosPerSecond
        let dayStart = localDay * Timestamp.nanosPerDay - offset
        let dayEnd = dayStart + Timestamp.nanosPerDay
        let zone = calendar.zone
        guard zone.offsetSeconds(at: Timestamp(nanoseconds: dayStart)) * Timestamp.nanosPerSecond == offset,
              zone.offsetSeconds(at: Timestamp(nanoseconds: dayEnd - 1)) * Timestamp.nanosPerSecond == offset
        else {
            windowStart = 0
            windowEnd = 0
            return
        }
        windowStart = dayStart
        windowEnd = dayEnd
        offsetNanos = offset
    }
}
