import PeregrineCore

/// NYSE early closes (13:00 New York), by the exchange's standing rules: the day before
/// Independence Day when July 4 falls Tuesday to Friday, the day after Thanksgiving (the fourth
/// Thursday of November), and Christmas Eve when it falls Monday to Thursday. Extra dates (and
/// exceptions the rules miss) can be listed explicitly, and a broker's calendar, where known,
/// overrides the rules day by day.
public struct EarlyCloses: Sendable, Equatable {
    public var closeMinute = 13 * 60
    /// The regular close (16:00 New York); a known close before it is an early close.
    public var regularCloseMinute = 16 * 60
    /// Additional early-close days (local calendar dates).
    public var extraDates: Set<CivilDate> = []
    /// Closes (minute of the day, New York) as a broker's calendar gives them; these days follow
    /// the calendar, not the rules.
    public var knownCloses: [CivilDate: Int] = [:]

    public init() {}

    /// The early close (minute of the day, New York) on `date`, or nil for a regular session.
    public func earlyClose(on date: CivilDate) -> Int? {
        if let known = knownCloses[date] { return known < regularCloseMinute ? known : nil }
        if extraDates.contains(date) { return closeMinute }
        let weekday = date.weekday
        guard weekday >= 1 && weekday <= 5 else { return nil }
        if date.month == 7 && date.day == 3 {
            let july4 = CivilDate(year: date.year, month: 7, day: 4).weekday
            if july4 >= 2 && july4 <= 5 { return closeMinute }
        }
        if date.month == 11 {
            let thanksgiving = CivilDate.nthWeekday(4, 4, month: 11, year: date.year)
            if date.daysSinceEpoch == thanksgiving.daysSinceEpoch + 1 { return closeMinute }
        }
        if date.month == 12 && date.day == 24 && weekday <= 4 { return closeMinute }
        return nil
    }
}
