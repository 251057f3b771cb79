import PeregrineCore
import Testing

@Suite struct TimeTests {
    @Test func civilDatesRoundTripOverFourCenturies() {
        var day = CivilDate(year: 1800, month: 1, day: 1).daysSinceEpoch
        let end = CivilDate(year: 2200, month: 12, day: 31).daysSinceEpoch
        var previous = CivilDate(daysSinceEpoch: day - 1)
        while day <= end {
            let date = CivilDate(daysSinceEpoch: day)
            #expect(date.isValid)
            #expect(date.daysSinceEpoch == day)
            #expect(date > previous)
            previous = date
            day += 1
        }
    }

    @Test func knownDates() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1).daysSinceEpoch == 11_017)
        #expect(CivilDate(year: 2024, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 2023, month: 2, day: 29).isValid)
        #expect(CivilDate(year: 2024, month: 11, day: 21).weekday == 4)  // a Thursday
        #expect(Timestamp(seconds: 1_420_209_000).iso8601 == "2015-01-02T14:30:00Z")
        #expect(Timestamp(nanoseconds: -1).iso8601 == "1969-12-31T23:59:59.999999999Z")
    }

    @Test func newYorkDaylightSavingRules() {
        let ny = ZoneRule.usEastern
        // 2024: DST from 2024-03-10 07:00 UTC to 2024-11-03 06:00 UTC.
        let start = Timestamp(date: CivilDate(year: 2024, month: 3, day: 10)).seconds + 7 * 3600
        #expect(ny.offsetSeconds(at: Timestamp(seconds: start - 1)) == -5 * 3600)
        #expect(ny.offsetSeconds(at: Timestamp(seconds: start)) == -4 * 3600)
        let end = Timestamp(date: CivilDate(year: 2024, month: 11, day: 3)).seconds + 6 * 3600
        #expect(ny.offsetSeconds(at: Timestamp(seconds: end - 1)) == -4 * 3600)
        #expect(ny.offsetSeconds(at: Timestamp(seconds: end)) == -5 * 3600)
        // Before 2007: first Sunday of April (2006-04-02) to last Sunday of October (2006-10-29).
        let old = Timestamp(date: CivilDate(year: 2006, month: 4, day: 2)).seconds + 7 * 3600
        #expect(ny.offsetSeconds(at: Timestamp(seconds: old - 1)) == -5 * 3600)
        #expect(ny.offsetSeconds(at: Timestamp(seconds: old)) == -4 * 3600)
        // 09:30 New York is 14:30 UTC in January and 13:30 UTC in July.
        let jan = CivilDate(year: 2015, month: 1, day: 2).daysSinceEpoch * 86_400 + 9 * 3600 + 1800
        #expect(ny.utc(fromLocalSeconds: jan).iso8601 == "2015-01-02T14:30:00Z")
        let jul = CivilDate(year: 2015, month: 7, day: 2).daysSinceEpoch * 86_400 + 9 * 3600 + 1800
        #expect(ny.utc(fromLocalSeconds: jul).iso8601 == "2015-07-02T13:30:00Z")
    }

    @Test func centralEuropeRules() {
        let cet = ZoneRule.centralEurope
        // 2024: summer time from 2024-03-31 01:00 UTC to 2024-10-27 01:00 UTC.
        let start = Timestamp(date: CivilDate(year: 2024, month: 3, day: 31)).seconds + 3600
        #expect(cet.offsetSeconds(at: Timestamp(seconds: start - 1)) == 3600)
        #expect(cet.offsetSeconds(at: Timestamp(seconds: start)) == 7200)
        let local = CivilDate(year: 2006, month: 1, day: 2).daysSinceEpoch * 86_400 + 9 * 3600 + 60
        #expect(cet.utc(fromLocalSeconds: local).iso8601 == "2006-01-02T08:01:00Z")
    }

    @Test func sessionPositionsOfUSEquityBars() {
        let cal = TradingCalendar.usEquity
        let minute = Timestamp.nanosPerMinute
        // 2015-01-02 14:30 UTC is 09:30 New York: first bar, in session.
        let open = Timestamp(seconds: 1_420_209_000)
        let first = cal.position(ofBarStarting: open, interval: minute)
        #expect(first.isInSession && !first.endsSession && !first.isAfterClose)
        // 15:59 New York: last one-minute bar, ends the session.
        let last = cal.position(ofBarStarting: open + 389 * minute, interval: minute)
        #expect(last.isInSession && last.endsSession && last.isAfterClose && last.day == first.day)
        // 08:00 New York: before the open, not after the close.
        let early = cal.position(ofBarStarting: open + -90 * minute, interval: minute)
        #expect(!early.isInSession && !early.isAfterClose)
        // Daily bars are each a session of their own.
        let daily = cal.position(ofBarStarting: Timestamp(date: CivilDate(year: 2015, month: 1, day: 2)), interval: Timestamp.nanosPerDay)
        #expect(daily.endsSession && daily.isAfterClose)
        #expect(TradingCalendar(specification: "09:00-22:00@Europe/Berlin")?.openMinute == 540)
        #expect(TradingCalendar(specification: "25:00-26:00@UTC") == nil)
    }
}
