import Foundation
import PeregrineCore
import PeregrineData
import PeregrineTestSupport
import Testing

/// The resampler against pandas on real files (fixtures written by
/// scripts/fixtures/make_resample_fixtures.py), against hand-worked daylight-saving days, and its
/// refusals.
@Suite struct BarResamplerTests {
    static let berlin = TimeZoneSpec.rule(.centralEurope)
    static let utc = TimeZoneSpec.rule(.fixed(seconds: 0))
    static let newYork = TimeZoneSpec.rule(.usEastern)

    /// One pandas run: the input fixture, the zone its naive times are read in, the zone of the
    /// periods, the timeframe, and pandas' bars.
    struct PandasCase: CustomTestStringConvertible, Sendable {
        var input: String
        var naive: TimeZoneSpec
        var zone: TimeZoneSpec
        var timeframe: Timeframe
        var expected: String
        var testDescription: String { expected }
    }

    static let pandasCases = [
        PandasCase(input: "resample_fesx_1min.csv", naive: berlin, zone: berlin, timeframe: .minutes(5), expected: "resample_fesx_5min.csv"),
        PandasCase(input: "resample_fesx_1min.csv", naive: berlin, zone: berlin, timeframe: .hours(1), expected: "resample_fesx_1h.csv"),
        PandasCase(input: "resample_fesx_1min.csv", naive: berlin, zone: berlin, timeframe: .day, expected: "resample_fesx_1d.csv"),
        PandasCase(input: "resample_eurusd_1h.csv", naive: utc, zone: utc, timeframe: .hours(4), expected: "resample_eurusd_4h.csv"),
        PandasCase(input: "resample_eurusd_1h.csv", naive: utc, zone: utc, timeframe: .day, expected: "resample_eurusd_1d.csv"),
        PandasCase(input: "resample_eurusd_1h.csv", naive: utc, zone: newYork, timeframe: .day,
                   expected: "resample_eurusd_1d_new_york.csv"),
    ]

    /// Every bar pandas makes, field by field as decimal text, and no bar more.
    @Test(arguments: pandasCases)
    func equalsPandas(_ run: PandasCase) throws {
        let compared = try compare(input: TestPaths.fixture(run.input), run)
        #expect(compared > 0)
    }

    /// The whole 1-minute file (41 days, 30889 bars) to hours and days, against pandas on the same file.
    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)),
          arguments: [(Timeframe.hours(1), "resample_fesx_full_1h.csv", 572), (Timeframe.day, "resample_fesx_full_1d.csv", 41)])
    func wholeFileEqualsPandas(_ timeframe: Timeframe, _ expected: String, _ bars: Int) throws {
        let run = PandasCase(input: "", naive: Self.berlin, zone: Self.berlin, timeframe: timeframe, expected: expected)
        #expect(try compare(input: TestPaths.sharedFile("fesx_1min_2006.csv"), run) == bars)
    }

    /// Compares our bars with pandas' as text; returns the number of bars compared.
    func compare(input: String, _ run: PandasCase) throws -> Int {
        let series = try BarCSVReader(zone: run.naive).read(path: input, instrument: .usEquity("X")).series
        let resampler = BarResampler(timeframe: run.timeframe, zone: run.zone)
        let ours = try resampler.resample(series, source: run.input)
        let lines = try String(contentsOfFile: TestPaths.fixture(run.expected), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(ours.count == lines.count, "\(run.expected): \(ours.count) bars, pandas has \(lines.count)")
        for (index, fields) in lines.enumerated() where index < ours.count {
            let bar = ours[index]
            let mine = [BarCSVWriter.label(bar.timestamp, resampler.timestampStyle), bar.open.description, bar.high.description,
                        bar.low.description, bar.close.description, bar.volume.description]
            for (column, name) in ["timestamp", "open", "high", "low", "close", "volume"].enumerated() {
                #expect(mine[column] == fields[column], "\(run.expected) bar \(index + 1) \(name): \(mine[column]), pandas \(fields[column])")
            }
        }
        return min(ours.count, lines.count)
    }

    // MARK: - Hand-worked periods

    /// Bars `minutes` apart (hourly by default) from `start` (UTC), `count` of them, each with
    /// volume 1 and its number from 1 as every price, so a period's volume counts its bars.
    func hourly(from start: String, hours count: Int, minutes: Int64 = 60) -> BarSeries {
        let first = BarBuilder.bar(at: start, "1", "1", "1", "1").timestamp.nanoseconds
        var series = BarSeries(instrument: .usEquity("H"))
        for k in 0..<count {
            let price = Price(units: Int64(k + 1) * Price.scale)
            series.append(Bar(timestamp: Timestamp(nanoseconds: first + Int64(k) * minutes * Timestamp.nanosPerMinute),
                              open: price, high: price, low: price, close: price, volume: Quantity(1)))
        }
        return series
    }

    func stamps(_ series: BarSeries) -> [String] { series.bars.map { "\($0.timestamp.iso8601) \($0.volume)" } }

    /// Berlin springs forward at 01:00Z on 2023-03-26 (02:00 CET becomes 03:00 CEST): the 00:00 4H
    /// period runs 23:00Z to 02:00Z, three hours; the next starts at 04:00 CEST, 02:00Z.
    @Test func fourHourPeriodsKeepTheLocalClockAcrossSpringForward() throws {
        let bars = hourly(from: "2023-03-25T19:00", hours: 12)
        let out = try BarResampler(timeframe: .hours(4), zone: Self.berlin).resample(bars, source: "t")
        #expect(stamps(out) == ["2023-03-25T19:00:00Z 4", "2023-03-25T23:00:00Z 3", "2023-03-26T02:00:00Z 4",
                                "2023-03-26T06:00:00Z 1"])
    }

    /// Berlin falls back at 01:00Z on 2023-10-29 (03:00 CEST becomes 02:00 CET): the 00:00 4H period
    /// runs 22:00Z to 03:00Z, five hours, and the repeated 02:00 hour is two 1H periods.
    @Test func fallBackGivesAFiveHourPeriodAndTwoRepeatedHours() throws {
        let bars = hourly(from: "2023-10-28T18:00", hours: 12)
        let four = try BarResampler(timeframe: .hours(4), zone: Self.berlin).resample(bars, source: "t")
        #expect(stamps(four) == ["2023-10-28T18:00:00Z 4", "2023-10-28T22:00:00Z 5", "2023-10-29T03:00:00Z 3"])
        // Half-hour bars over the same twelve hours: twelve 1H periods of two bars, one per UTC hour.
        let halves = hourly(from: "2023-10-28T18:00", hours: 24, minutes: 30)
        let one = try BarResampler(timeframe: .hours(1), zone: Self.berlin).resample(halves, source: "t")
        #expect(one.bars.map(\.timestamp) == bars.bars.map(\.timestamp))
        #expect(one.bars.allSatisfy { $0.volume == Quantity(2) })
    }

    /// New York's fall-back day (2017-11-05) runs 04:00Z to 05:00Z the next day: 25 hourly bars; the
    /// day before has 24, stamped at 04:00Z, the day after 24, stamped at 05:00Z.
    @Test func aDayIsTheLocalDateWithItsTwentyFiveHours() throws {
        let bars = hourly(from: "2017-11-04T04:00", hours: 24 + 25 + 24)
        let out = try BarResampler(timeframe: .day, zone: Self.newYork).resample(bars, source: "t")
        #expect(stamps(out) == ["2017-11-04T04:00:00Z 24", "2017-11-05T04:00:00Z 25", "2017-11-06T05:00:00Z 24"])
        let style = BarResampler(timeframe: .day, zone: Self.newYork).timestampStyle
        #expect(out.bars.map { BarCSVWriter.label($0.timestamp, style) } == ["2017-11-04", "2017-11-05", "2017-11-06"])
        // The first bar's open, the last bar's close, the extremes between.
        #expect(out[1].open == Price(25) && out[1].close == Price(49) && out[1].high == Price(49) && out[1].low == Price(25))
    }

    /// Every instant lies in the period the grid gives it, periods tile time without gaps, and each
    /// begins where the local clock shows a multiple of the timeframe: for random instants across
    /// both of a year's changes in Berlin and New York, at 5 minutes to a day.
    @Test func periodsTileTimeOnTheLocalClock() {
        var random = SeededGenerator(seed: 7)
        let start = Timestamp(date: CivilDate(year: 2023, month: 1, day: 1)).nanoseconds
        for zone in [ZoneRule.centralEurope, .usEastern, .fixed(seconds: 5 * 3600 + 1800)] {
            for timeframe in [Timeframe.minutes(5), .minutes(30), .hours(1), .hours(2), .hours(4), .hours(12), .day] {
                let grid = PeriodGrid(timeframe: timeframe, zone: zone)
                for _ in 0..<2_000 {
                    let t = start + Int64(random.next() % UInt64(365 * 86_400)) * Timestamp.nanosPerSecond
                    let period = grid.period(containing: t)
                    #expect(period.contains(t), "\(zone) \(timeframe) \(Timestamp(nanoseconds: t))")
                    #expect(grid.start(containing: period.upperBound) == period.upperBound)
                    #expect(grid.start(containing: period.lowerBound - 1) < period.lowerBound)
                    let local = period.lowerBound + zone.offsetSeconds(at: Timestamp(nanoseconds: period.lowerBound)) * Timestamp.nanosPerSecond
                    #expect(local % timeframe.nanoseconds == 0, "\(zone) \(timeframe) starts off the clock at \(Timestamp(nanoseconds: period.lowerBound))")
                    let hours = (period.upperBound - period.lowerBound) / (3_600 * Timestamp.nanosPerSecond)
                    #expect(timeframe.nanoseconds < 3_600 * Timestamp.nanosPerSecond || abs(hours * 3_600 * Timestamp.nanosPerSecond - timeframe.nanoseconds) <= 3_600 * Timestamp.nanosPerSecond)
                }
            }
        }
    }

    /// Volumes add up exactly past 64 bits (three volumes of 9223372036.854775808, 2^63 nano-units,
    /// sum to 27670116110.564327424), and a period past the largest quantity is refused by name.
    @Test func volumesSumExactlyAndOverflowIsRefused() throws {
        var series = BarSeries(instrument: .usEquity("V"))
        for minute in 0..<3 {
            var bar = BarBuilder.bar(at: "2024-01-02T14:3\(minute)", "10", "10", "10", "10")
            bar.volume = Quantity("9223372036.854775808")!
            series.append(bar)
        }
        let out = try BarResampler(timeframe: .minutes(5), zone: Self.utc).resample(series, source: "big.csv")
        #expect(out.count == 1 && out[0].volume.description == "27670116110.564327424")

        var huge = BarSeries(instrument: .usEquity("V"))
        for minute in 0..<2 {
            var bar = BarBuilder.bar(at: "2024-01-02T14:3\(minute)", "10", "10", "10", "10")
            bar.volume = Quantity.maximum
            huge.append(bar)
        }
        #expect(throws: DataError.self) { try BarResampler(timeframe: .minutes(5), zone: Self.utc).resample(huge, source: "huge.csv") }
        do { _ = try BarResampler(timeframe: .minutes(5), zone: Self.utc).resample(huge, source: "huge.csv") } catch {
            #expect(error.description.contains("huge.csv") && error.description.contains("2024-01-02T14:30:00Z"), "\(error)")
        }
    }

    /// A timeframe not coarser than the bars, or not a whole number of them, is refused with the
    /// interval found.
    @Test(arguments: [
        ("2024-01-02T14:00", 60, Timeframe.hours(1), "1 hour apart"),
        ("2024-01-02T14:00", 60, Timeframe.minutes(30), "not a coarser timeframe"),
        ("2024-01-02T14:00", 7, Timeframe.hours(1), "not a whole number"),
        ("2024-01-02T00:00", 1440, Timeframe.day, "1 day apart"),
    ])
    func refusesATimeframeTheBarsCannotFill(_ start: String, _ minutes: Int, _ timeframe: Timeframe, _ words: String) {
        var series = BarSeries(instrument: .usEquity("R"))
        let first = BarBuilder.bar(at: start, "1", "1", "1", "1")
        for k in 0..<10 {
            var bar = first
            bar.timestamp = first.timestamp + Int64(k * minutes) * Timestamp.nanosPerMinute
            series.append(bar)
        }
        do {
            _ = try BarResampler(timeframe: timeframe, zone: Self.utc).resample(series, source: "r.csv")
            Issue.record("\(timeframe) on \(minutes)-minute bars was accepted")
        } catch {
            #expect(error.description.hasPrefix("r.csv: ") && error.description.contains(words), "\(error)")
        }
    }

    @Test func timeframesReadAndPrint() {
        #expect(Timeframe("5Min") == .minutes(5) && Timeframe("15min") == .minutes(15) && Timeframe("30T") == .minutes(30))
        #expect(Timeframe("1H") == .hours(1) && Timeframe("4h") == .hours(4) && Timeframe("1Hour") == .hours(1))
        #expect(Timeframe("1D") == .day && Timeframe("1Day") == .day && Timeframe("24H") == .day)
        for bad in ["", "H", "7Min", "5", "2D", "25H", "1W", "-1H", "1M", "99999Min", "1.5H"] { #expect(Timeframe(bad) == nil, "\(bad)") }
        #expect([Timeframe.minutes(5), .hours(1), .hours(4), .day].map(\.description) == ["5Min", "1H", "4H", "1D"])
    }
}
