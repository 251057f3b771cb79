import PeregrineCore
import Testing

/// `SessionClock.day(ofBarStarting:)` gives a bar's local day and the time until which later bars
/// share it, so the kernel asks for the risk limits' day once a day. The day must be the calendar's
/// own, and `until` must never reach past the local midnight (nor past the bar itself on a day whose
/// offset changes).
@Suite struct SessionClockTests {
    static let minute: Int64 = 60_000_000_000

    /// 2024-03-05 14:30 UTC is 09:30 in New York (EST, UTC-5): local day 19,787 since 1970-01-01, ending
    /// at the local midnight, 2024-03-06 05:00 UTC (1,709,701,200 s).
    @Test func theDayEndsAtLocalMidnight() {
        var clock = SessionClock(calendar: .usEquity, interval: Self.minute)
        let open = Timestamp(seconds: 1_709_649_000)
        let (day, until) = clock.day(ofBarStarting: open)
        #expect(day == 19_787)
        #expect(until == 1_709_701_200 * 1_000_000_000)
        // Every minute up to the midnight has that day, on the calendar itself; the midnight the next.
        var t = open.nanoseconds
        while t < until {
            #expect(TradingCalendar.usEquity.position(ofBarStarting: Timestamp(nanoseconds: t), interval: Self.minute).day == day)
            let again = clock.day(ofBarStarting: Timestamp(nanoseconds: t))
            #expect(again.day == day && again.until == until)
            t += 7 * Self.minute
        }
        #expect(clock.day(ofBarStarting: Timestamp(nanoseconds: until)).day == day + 1)
    }

    /// 2024-03-10 is the day New York moves to daylight time: its offset is not the same all day, so no
    /// day is cached and `until` is the bar's own time plus one nanosecond.
    @Test func aDaylightSavingDayIsAnsweredBarByBar() {
        var clock = SessionClock(calendar: .usEquity, interval: Self.minute)
        let bar = Timestamp(seconds: 1_710_082_800)  // 2024-03-10 15:00 UTC, 11:00 EDT
        let (day, until) = clock.day(ofBarStarting: bar)
        #expect(day == 19_792)
        #expect(until == bar.nanoseconds + 1)
    }

    /// Daily bars are not cached either: each bar is its own answer, the calendar's day for it.
    @Test func dailyBarsAreAnsweredBarByBar() {
        let daily: Int64 = 86_400_000_000_000
        var clock = SessionClock(calendar: .usEquity, interval: daily)
        let bar = Timestamp(seconds: 1_709_649_000)
        let (day, until) = clock.day(ofBarStarting: bar)
        #expect(day == TradingCalendar.usEquity.position(ofBarStarting: bar, interval: daily).day)
        #expect(until == bar.nanoseconds + 1)
    }
}
