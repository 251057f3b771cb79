import Foundation
import PeregrineCore
import PeregrineData
import PeregrineTestSupport
import Testing

@Suite struct BarCSVReaderTests {
    func write(_ text: String, name: String = "bars.csv") -> String {
        let path = TestPaths.temporaryFolder() + "/" + name
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func error(_ rows: String, policy: BadRowPolicy = .fail) -> DataError? {
        let path = write("timestamp,open,high,low,close,volume\n" + rows)
        do {
            _ = try BarCSVReader(policy: policy).read(path: path, instrument: .usEquity("X"))
            return nil
        } catch {
            return error
        }
    }

    static let good = "2024-01-02,10,11,9,10.5,100\n"

    @Test(arguments: [
        // (rows after a good first row, line, field, words the message must contain)
        ("2024-01-03,abc,11,9,10,100\n", 3, "open", "'abc' is not a number"),
        ("2024-01-03,10,11,9,NaN,100\n", 3, "close", "NaN"),
        ("2024-01-03,10,11,0,10,100\n", 3, "low", "must be positive"),
        ("2024-01-03,-10,11,9,10,100\n", 3, "open", "must be positive"),
        ("2024-01-03,10,11,12,10,100\n", 3, "high", "below low"),
        ("2024-01-03,10,10.5,9,10.8,100\n", 3, "high", "below open"),
        ("2024-01-03,10,11,10.2,10.1,100\n", 3, "low", "above open"),
        ("2024-01-03,10,11,9,10,-5\n", 3, "volume", "negative"),
        ("2024-01-02,10,11,9,10,100\n", 3, "timestamp", "duplicate"),
        ("2024-01-01,10,11,9,10,100\n", 3, "timestamp", "earlier than line 2"),
        ("2024-02-30,10,11,9,10,100\n", 3, "timestamp", "not a real calendar date"),
        ("Jan 3 2024,10,11,9,10,100\n", 3, "timestamp", "not a date"),
        ("2024-01-03,10,11,9,10\n", 3, nil, "expected 6 fields"),
        ("2024-01-03,10,11,9,,100\n", 3, "close", "empty"),
        ("2024-01-03,10.1234567891,11,9,10,100\n", 3, "open", "more than 9"),
        ("9999-12-31,10,11,9,10,100\n", 3, "timestamp", "outside the dates Peregrine holds (1678-01-01 to 2261-12-31)"),
        ("1677-01-01,10,11,9,10,100\n", 3, "timestamp", "outside the dates"),
        ("2024-01-03,10,11,9,10,1000000000000000000000.000000001\n", 3, "volume", "out of range"),
        ("2024-01-03,10,11,9,10,inf\n", 3, "volume", "infinite"),
    ] as [(String, Int, String?, String)])
    func badRowsNameFileLineAndField(rows: String, line: Int, field: String?, words: String) {
        let found = error(Self.good + rows)
        #expect(found?.line == line)
        #expect(found?.field == field)
        #expect(found?.message.contains(words) == true, "\(found?.description ?? "no error")")
        #expect(found?.description.contains("bars.csv:\(line)") == true)
    }

    /// Volumes past 64 bits at nine decimals (an index's shares, a coin's units by the trillion) load
    /// with every digit.
    @Test func volumesOfAnyRealMarketLoadExactly() throws {
        let loaded = try BarCSVReader().read(path: TestPaths.fixture("large_volumes.csv"), instrument: .usEquity("SPX"))
        #expect(loaded.series.bars.map(\.volume.description) == [
            "9459830000", "8432520000", "12151760000", "1000000000000.123456789", "987654321098765.5",
            "450000000000000000.000000001", "7000000000", "9223372036.854775808", "123456789012345678901",
        ])
    }

    @Test func skipPolicyDropsAndReportsEveryBadRow() throws {
        let path = write("timestamp,open,high,low,close,volume\n" + Self.good
            + "2024-01-03,x,11,9,10,100\n2024-01-04,10,11,9,10,100\n2024-01-04,10,11,9,10,100\n2024-01-05,10,9,9,10,1\n"
            + "2024-01-08,10,11,9,10,100\n")
        let loaded = try BarCSVReader(policy: .skip).read(path: path, instrument: .usEquity("X"))
        #expect(loaded.rows == 6)
        #expect(loaded.series.count == 3)
        #expect(loaded.skipped.map(\.line) == [3, 5, 6])
    }

    @Test func readsYahooFormatAndIgnoresAdjClose() throws {
        let path = write("Date,Open,High,Low,Close,Adj Close,Volume\n1995-01-03,2.179012,2.191358,2.117284,2.117284,1.883304,36301200\n")
        let loaded = try BarCSVReader().read(path: path, instrument: .usEquity("ORCL"))
        #expect(loaded.series.count == 1)
        #expect(loaded.series[0].close == Price("2.117284")!)
        #expect(loaded.series[0].volume == Quantity(36_301_200))
        #expect(loaded.format.hasPrefix("Yahoo"))
    }

    @Test func readsTimestampFormsAndZones() throws {
        let path = write("""
            timestamp,open,high,low,close,volume
            2015-01-02T14:30:00Z,1,1,1,1,1
            2015-01-02T09:31:00-05:00,1,1,1,1,1
            2015-01-02 14:32:00.5Z,1,1,1,1,1
            20150102 14:33,1,1,1,1,1
            2015-07-02T09:30:00,1,1,1,1,1

            """)
        let utc = try BarCSVReader().read(path: path, instrument: .usEquity("X"))
        #expect(utc.series.bars.map(\.timestamp.iso8601) == [
            "2015-01-02T14:30:00Z", "2015-01-02T14:31:00Z", "2015-01-02T14:32:00.5Z", "2015-01-02T14:33:00Z",
            "2015-07-02T09:30:00Z",
        ])
        #expect(utc.warnings.count == 1)  // naive times read as UTC, and said so
        // In New York the naive July 09:30 is 13:30 UTC (daylight time); offsets in the text still win.
        let ny = try BarCSVReader(zone: TimeZoneSpec(name: "America/New_York")).read(path: path, instrument: .usEquity("X"))
        #expect(ny.series[4].timestamp.iso8601 == "2015-07-02T13:30:00Z")
        #expect(ny.series[0].timestamp.iso8601 == "2015-01-02T14:30:00Z")
        #expect(ny.warnings.isEmpty)
        // Any IANA zone the system knows works too (naive times only: with Tokyo's +9 the naive
        // 14:33 above would really fall before the 14:32Z row, and the reader would say so).
        let naive = write("timestamp,open,high,low,close,volume\n2015-07-02T09:30:00,1,1,1,1,1\n", name: "naive.csv")
        let tokyo = try BarCSVReader(zone: TimeZoneSpec(name: "Asia/Tokyo")).read(path: naive, instrument: .usEquity("X"))
        #expect(tokyo.series[0].timestamp.iso8601 == "2015-07-02T00:30:00Z")
        #expect(throws: DataError.self) {
            try BarCSVReader(zone: TimeZoneSpec(name: "Asia/Tokyo")).read(path: path, instrument: .usEquity("X"))
        }
    }

    @Test func headerProblemsAreClear() {
        let path = write("when,open,high,low,close\n2024-01-02,1,1,1,1\n")
        #expect(throws: DataError.self) { try BarCSVReader().read(path: path, instrument: .usEquity("X")) }
        do { _ = try BarCSVReader().read(path: path, instrument: .usEquity("X")) } catch {
            #expect(error.description.contains("no column timestamp or date"))
        }
        do { _ = try BarCSVReader().read(path: "/nonexistent/file.csv", instrument: .usEquity("X")) } catch {
            #expect(error.description.contains("cannot open"))
        }
    }

    @Test func writerRoundTripsExactly() throws {
        var options = SyntheticMarket.Options()
        options.bars = 5_000
        options.tick = Price("0.000001")!
        let series = SyntheticMarket(options: options).generate()
        let path = TestPaths.temporaryFolder() + "/syn.csv"
        try BarCSVWriter.write(series, to: path)
        let back = try BarCSVReader().read(path: path, instrument: series.instrument).series
        #expect(back.bars == series.bars)
    }
}

/// The shared real files load as their README describes.
@Suite(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
struct SharedDataLoadingTests {
    @Test(arguments: [
        ("orcl_daily.csv", 5036), ("nvda_daily.csv", 4012), ("aapl_daily_unadjusted.csv", 5849),
        ("btcusd_daily.csv", 1318), ("eurusd_1h_2017.csv", 5000), ("fesx_1min_2006.csv", 30889),
    ])
    func loadsEveryRow(file: String, rows: Int) throws {
        let loaded = try BarCSVReader(zone: .rule(.fixed(seconds: 0)), policy: .fail)
            .read(path: TestPaths.sharedFile(file), instrument: .usEquity("X"))
        #expect(loaded.series.count == rows)
        #expect(loaded.skipped.isEmpty)
    }

    @Test func fesxNaiveTimesInBerlinAreOneHourBehindInUTC() throws {
        let loaded = try BarCSVReader(zone: TimeZoneSpec(name: "Europe/Berlin"))
            .read(path: TestPaths.sharedFile("fesx_1min_2006.csv"), instrument: .usEquity("FESX"))
        #expect(loaded.series[0].timestamp.iso8601 == "2006-01-02T08:01:00Z")
    }
}
