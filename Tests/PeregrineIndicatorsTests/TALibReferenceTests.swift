import Foundation
import PeregrineCore
import PeregrineData
import PeregrineIndicators
import PeregrineTestSupport
import Testing

/// Every indicator output against TA-Lib 0.8.2 (fixtures from scripts/fixtures/make_indicator_fixtures.py)
/// on two real series: daily ORCL and hourly EUR/USD. Warm-up must be empty exactly where TA-Lib's is.
@Suite(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
struct TALibReferenceTests {
    static let specifications = [
        "sma:20", "ema:20", "wma:20", "dema:20", "tema:20", "rsi:14", "bbands:20,2", "macd:12,26,9", "atr:14",
        "adx:14", "stoch:14,3,3", "roc:10", "mom:10", "stddev:20", "zscore:20", "obv", "vwap", "donchian:20",
        "keltner:20,2",
    ]

    @Test(arguments: [("orcl_daily.csv", "indicators_orcl_daily.csv"), ("eurusd_1h_2017.csv", "indicators_eurusd_1h.csv")])
    func matchesTALib(data: String, fixture: String) throws {
        let series = try BarCSVReader().read(path: TestPaths.sharedFile(data), instrument: .usEquity("X")).series
        let text = try String(contentsOfFile: TestPaths.fixture(fixture), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == series.count)
        var compared = 0
        for text in Self.specifications {
            let specification = try IndicatorSpecification(text)
            let columns = specification.compute(series)
            for (name, values) in zip(specification.columnNames, columns) {
                let column = try #require(header.firstIndex(of: name), "fixture has no column \(name)")
                var mismatches: [String] = []
                let zscoreStats = name.hasPrefix("zscore") ? RollingStandardDeviation.batchForTests(series, period: 20) : []
                for (index, row) in rows.enumerated() {
                    let expected = row[column].isEmpty ? nil : Double(row[column])!
                    let actual = values[index]
                    switch (actual, expected) {
                    case (nil, nil): continue
                    case (let a?, let e?):
                        compared += 1
                        // A z-score near 0 is a difference of nearly equal numbers (close - mean), so
                        // the reference's running-sum drift shows relative to the terms, close / sd.
                        var scale = max(abs(e), 1e-9)
                        if let deviation = zscoreStats.isEmpty ? nil : zscoreStats[index] {
                            scale = max(scale, Price(units: series.closes[index]).doubleValue / deviation)
                        }
                        if abs(a - e) > 1e-9 * scale { mismatches.append("row \(index): \(a) vs \(e)") }
                    default:
                        mismatches.append("row \(index): \(String(describing: actual)) vs \(String(describing: expected))")
                    }
                }
                #expect(mismatches.isEmpty, "\(data) \(name): \(mismatches.count) mismatches, first \(mismatches.prefix(3))")
            }
        }
        #expect(compared > 100_000)
    }
}

extension RollingStandardDeviation {
    /// Standard deviations over a series, nil during warm-up.
    static func batchForTests(_ series: BarSeries, period: Int) -> [Double?] {
        var indicator = RollingStandardDeviation(period: period)
        return (0..<series.count).map { indicator.update(Price(units: series.closes[$0]))?.deviation }
    }
}
