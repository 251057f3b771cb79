/// Where the periods of a timeframe begin and end on a zone's clock. A period begins wherever the
/// local clock shows a multiple of the timeframe after local midnight (a day begins at local
/// midnight), and lasts until the next such instant. Daylight saving therefore bends periods
/// rather than shifting them: the 00:00 4H period of a spring-forward day lasts three hours, and a
/// fall-back's repeated hour is two 1H periods, both labelled 02:00 locally but an hour apart.
/// (pandas bins a fixed length of time from its origin instead, so its 4H bins shift by an hour
/// after a change; day bins agree.)
public struct PeriodGrid<Zone: LocalTimeZone>: Sendable {
    public let timeframe: Timeframe
    public let zone: Zone

    public init(timeframe: Timeframe, zone: Zone) {
        self.timeframe = timeframe
        self.zone = zone
    }

    /// The period holding instant `t`, as `start..<end` in UTC nanoseconds.
    public func period(containing t: Int64) -> Range<Int64> {
        let start = start(containing: t)
        return start..<end(ofPeriodStarting: start)
    }

    /// The latest period start at or before `t`.
    public func start(containing t: Int64) -> Int64 {
        if timeframe.isDay { return dayStart(localDay: localDay(t), near: t) }
        let length = timeframe.nanoseconds
        let offset = offsetNanos(t)
        let sameClock = (t + offset).floorDivided(by: length) * length - offset
        let earlierOffset = offsetNanos(sameClock)
        if earlierOffset == offset { return sameClock }
        // The clock changed between that boundary and `t`, away from a boundary: the period began
        // before the change, on the earlier clock.
        var start = (t + earlierOffset).floorDivided(by: length) * length - earlierOffset
        var steps = 0
        while offsetNanos(start) != earlierOffset && steps < 8 {
            start -= length
            steps += 1
        }
        return start
    }

    /// The first period start after `start` (itself a period start).
    public func end(ofPeriodStarting start: Int64) -> Int64 {
        if timeframe.isDay { return dayStart(localDay: localDay(start) + 1, near: start + Timestamp.nanosPerDay) }
        let nominal = start + timeframe.nanoseconds
        if offsetNanos(nominal) == offsetNanos(start) { return nominal }
        // A clock change inside the period: step forward until a later period begins. Steps of at
        // most 15 minutes cannot pass a boundary, since clocks change by whole quarter hours.
        let step = min(timeframe.nanoseconds, 15 * Timestamp.nanosPerMinute)
        var probe = nominal
        for _ in 0..<(4 * 3600 * Timestamp.nanosPerSecond / step) {
            let next = self.start(containing: probe)
            if next > start { return next }
            probe += step
        }
        return nominal
    }

    /// The zone's calendar day of `t`, as days since 1970-01-01.
    public func localDay(_ t: Int64) -> Int64 { (t + offsetNanos(t)).floorDivided(by: Timestamp.nanosPerDay) }

    /// The first instant of local day `day`, `near` an instant of about that day: local midnight,
    /// or, where a clock change skips midnight, the change itself.
    private func dayStart(localDay day: Int64, near t: Int64) -> Int64 {
        let midnight = day * Timestamp.nanosPerDay
        let offset = offsetNanos(t)
        let sameClock = midnight - offset
        let otherOffset = offsetNanos(sameClock)
        if otherOffset == offset { return sameClock }
        let otherClock = midnight - otherOffset
        if offsetNanos(otherClock) == otherOffset { return otherClock }
        return max(sameClock, otherClock)
    }

    @inline(__always) private func offsetNanos(_ t: Int64) -> Int64 {
        zone.offsetSeconds(at: Timestamp(nanoseconds: t)) * Timestamp.nanosPerSecond
    }
}
