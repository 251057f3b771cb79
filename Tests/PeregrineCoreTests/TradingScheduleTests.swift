import PeregrineCore
import Testing

@Suite struct TradingScheduleTests {
    func time(_ text: String) -> Timestamp {
        // "2024-07-01T19:45" in UTC.
        let date = CivilDate(iso: String(text.prefix(10)))!
        let hour = Int64(text.dropFirst(11).prefix(2))!, minute = Int64(text.dropFirst(14).prefix(2))!
        return Timestamp(nanoseconds: date.daysSinceEpoch * Timestamp.nanosPerDay + (hour * 60 + minute) * Timestamp.nanosPerMinute)
    }

    @Test func theFormsParseAndBadOnesAreNamed() throws {
        #expect(try TradingSchedule(parsing: "every bar") == .everyBar)
        #expect(try TradingSchedule(parsing: "every 15m") == .everyMinutes(15, zone: .usEastern))
        #expect(try TradingSchedule(parsing: "every 2h UTC") == .everyMinutes(120, zone: .fixed(seconds: 0)))
        #expect(try TradingSchedule(parsing: "daily 15:45 America/New_York") == .daily(minute: 945, zone: .usEastern))
        #expect(try TradingSchedule(parsing: "daily 09:05") == .daily(minute: 545, zone: .usEastern))
        for bad in ["hourly", "every 0m", "every 15x", "daily 25:00", "daily 9", "every 7h", "daily 10:00 Mars/Olympus"] {
            #expect(throws: TradingSchedule.ParseError.self, "\(bad)") { try TradingSchedule(parsing: bad) }
        }
        do { _ = try TradingSchedule(parsing: "daily 10:00 Mars/Olympus") } catch { #expect(error.description.contains("unknown time zone Mars/Olympus")) }
    }

    @Test func everyNMinutesIsOnTheLocalClock() {
        var state = TradingSchedule.State()
        let every15 = TradingSchedule.everyMinutes(15, zone: .usEastern)
        // 13:30 UTC in July is 09:30 New York: admitted; 09:31 to 09:44 not; 09:45 yes.
        let admitted = (0..<30).filter { every15.admits(Timestamp(nanoseconds: time("2024-07-01T13:30").nanoseconds + Int64($0) * Timestamp.nanosPerMinute), state: &state) }
        #expect(admitted == [0, 15])
        // A half-hour offset zone: 13:30 UTC is 19:00 in +05:30, on the quarter.
        #expect(TradingSchedule.everyMinutes(60, zone: .fixed(seconds: 19_800)).admits(time("2024-07-01T13:30"), state: &state))
        #expect(!every15.admits(Timestamp(nanoseconds: time("2024-07-01T13:30").nanoseconds + 30 * Timestamp.nanosPerSecond), state: &state))
    }

    /// Daily at 15:45 New York is 19:45 UTC in summer and 20:45 in winter; with no 15:45 bar the next
    /// bar acts; bars of other instruments at the acting time act too; once a day.
    @Test func dailyActsOnceADayAtLocalTime() {
        let daily = TradingSchedule.daily(minute: 945, zone: .usEastern)
        var state = TradingSchedule.State()
        #expect(!daily.admits(time("2024-07-01T19:44"), state: &state))
        #expect(daily.admits(time("2024-07-01T19:45"), state: &state))
        #expect(daily.admits(time("2024-07-01T19:45"), state: &state))  // a second instrument's bar at that time
        #expect(!daily.admits(time("2024-07-01T19:46"), state: &state))
        #expect(!daily.admits(time("2024-12-02T19:45"), state: &state))  // 14:45 in winter
        #expect(daily.admits(time("2024-12-02T20:47"), state: &state))  // no 15:45 bar that day: the first after
        #expect(!daily.admits(time("2024-12-02T20:48"), state: &state))
        #expect(TradingSchedule.everyBar.admits(time("2024-12-02T20:48"), state: &state))
    }
}
