import PeregrineCore
import PeregrineData
import PeregrineTestSupport
import Testing

@Suite struct SeriesAnomalyTests {
    func splits(_ anomalies: [SeriesAnomaly]) -> [String] {
        anomalies.compactMap { anomaly in
            if case .likelySplit(let ratio) = anomaly.kind { return "\(anomaly.timestamp.compactDescription) \(ratio)" }
            return nil
        }
    }

    /// Real raw AAPL rows across the 2000-06-21 2:1 split and the 2000-09-29 crash: the split is
    /// named with its ratio; the crash (close over next open 1.90, 5% from 2) is an outlier, not a split.
    @Test func theSplitInRawRowsIsNamedAndTheCrashIsNot() throws {
        let series = try BarCSVReader().read(path: TestPaths.fixture("aapl_daily_raw_2000.csv"), instrument: .usEquity("AAPL")).series
        let found = SeriesAnomaly.find(in: series, calendar: .usEquity)
        #expect(splits(found) == ["2000-06-21 2.0"])
        let crash = found.first { $0.timestamp.compactDescription == "2000-09-29" }
        guard case .outlierReturn(let value, _)? = crash?.kind else { Issue.record("no outlier on 2000-09-29: \(found)"); return }
        // ln(25.81 / 53.38), by hand.
        #expect(abs(value - (-0.72665)) < 1e-4)
    }

    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
    func everySplitOfTheRawFileIsNamed() throws {
        let series = try BarCSVReader().read(path: TestPaths.sharedFile("aapl_daily_unadjusted.csv"), instrument: .usEquity("AAPL")).series
        #expect(splits(SeriesAnomaly.find(in: series, calendar: .usEquity))
                == ["2000-06-21 2.0", "2005-02-28 2.0", "2014-06-09 7.0", "2020-08-31 4.0"])
    }

    /// Hand-made bars: a reverse split, a missing week, a stale run and a weekend (not a gap).
    @Test func gapsStaleRunsAndReverseSplitsAreFound() {
        var series = BarSeries(instrument: .usEquity("X"))
        func add(_ date: String, _ close: String, open: String? = nil) {
            let c = Price(close)!, o = Price(open ?? close)!
            series.append(Bar(timestamp: Timestamp(date: CivilDate(iso: date)!), open: o, high: max(o, c), low: min(o, c), close: c,
                              volume: Quantity(100)))
        }
        add("2024-01-02", "10"); add("2024-01-03", "10.1"); add("2024-01-04", "10.2")
        add("2024-01-05", "10.3"); add("2024-01-08", "10.4")  // a weekend between: no gap
        add("2024-01-16", "10.5")  // 5 weekdays missing (Jan 9 to 15)
        add("2024-01-17", "10.5"); add("2024-01-18", "10.5"); add("2024-01-19", "10.5")  // 4 identical bars
        add("2024-01-22", "106", open: "105.5")  // 10.5 / 105.5: a 1:10 reverse split, 0.5% off
        let found = SeriesAnomaly.find(in: series, calendar: .usEquity)
        #expect(found.map(\.kind) == [.calendarGap(missing: 5), .staleBars(count: 4), .likelySplit(ratio: 0.1)], "\(found)")
        #expect(found.map(\.description).last == "likely 1:10 reverse split on 2024-01-22: close 10.5 on 2024-01-19, then open 105.5")
        // Around the clock, the weekend is two missing days.
        let continuous = SeriesAnomaly.find(in: series, calendar: .continuous)
        #expect(continuous.contains { $0.kind == .calendarGap(missing: 2) && $0.timestamp.compactDescription == "2024-01-08" })
    }
}
