import Foundation
import PeregrineCore
import PeregrineData
import PeregrineTestSupport
import Testing

@Suite struct CorporateActionFileTests {
    func write(_ text: String) -> String {
        let path = TestPaths.temporaryFolder() + "/actions.csv"
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Lean's AAPL factor file: the four splits on the weekdays after the rows where the split factor
    /// changes, and the dividends as reference price times (1 - factor / next factor), checked by
    /// hand against the file's rows: 619.86 * (1 - 0.8613657 / 0.8650639) = 2.64993, so 2.6499 (AAPL
    /// paid 2.65; the factors' seven digits decide the fourth decimal).
    @Test func aFactorFileGivesSplitsAndDividends() throws {
        let actions = try CorporateActionFile.read(path: TestPaths.fixture("aapl_lean_factor_file.csv"), symbol: "AAPL")
        let splits = actions.compactMap { action -> String? in
            guard case .split(let n, let d) = action.kind else { return nil }
            return "\(action.date) \(n):\(d)"
        }
        #expect(splits == ["2000-06-21 2:1", "2005-02-28 2:1", "2014-06-09 7:1", "2020-08-31 4:1"])
        let dividends = actions.compactMap { action -> String? in
            guard case .dividend(let amount) = action.kind else { return nil }
            return "\(action.date) \(amount)"
        }
        #expect(dividends.count == 35)
        #expect(dividends.first == "2012-08-09 2.6499")
        #expect(dividends.contains("2014-05-08 3.29"))
        #expect(dividends.last == "2021-02-05 0.205")
    }

    @Test func eventsFilesReadAndBadRowsAreNamed() throws {
        let path = write("symbol,date,type,value\nAAPL,2020-08-31,split,4:1\nMSFT,2003-02-18,split,2:1\nAAPL,2020-08-07,dividend,0.82\n")
        let actions = try CorporateActionFile.read(path: path, symbol: "AAPL")
        #expect(actions.map(\.description) == ["AAPL 2020-08-07 dividend 0.82", "AAPL 2020-08-31 split 4:1"])
        #expect(try CorporateActionFile.namesSymbols(path: path))
        for (text, words) in [("date,type,value\n2020-08-31,split,4-1\n", "actions.csv:2: value: '4-1' is not a split ratio"),
                              ("date,type,value\n2020-08-31,merger,1\n", "actions.csv:2: type: 'merger' is neither split nor dividend"),
                              ("date,type,value\n9999-12-31,dividend,1\n", "actions.csv:2: date: '9999-12-31' is not a date"),
                              ("date,type,value\n2020-08-31,dividend,-1\n", "actions.csv:2: value: '-1' is not a positive cash amount"),
                              ("when,what\n", "neither a factor file")] {
            #expect(throws: DataError.self) { try CorporateActionFile.read(path: write(text), symbol: "X") }
            do { _ = try CorporateActionFile.read(path: write(text), symbol: "X") } catch {
                #expect(error.description.contains(words), "\(error.description)")
            }
        }
    }

    /// Adjusted bars equal Lean's own adjustment (raw times price factor times split factor of the
    /// first factor row dated on or after the bar) relative to the series' last bar, which keeps its
    /// prices, to the rounding of the derived dividends.
    @Test func adjustedBarsMatchTheFactorFilesFormula() throws {
        let raw = try BarCSVReader().read(path: TestPaths.fixture("aapl_daily_raw_2000.csv"), instrument: .usEquity("AAPL")).series
        let actions = try CorporateActionFile.read(path: TestPaths.fixture("aapl_lean_factor_file.csv"), symbol: "AAPL")
        let adjusted = CorporateActionAdjuster.adjust(raw, actions: actions, mode: .adjusted)
        let rows = try String(contentsOfFile: TestPaths.fixture("aapl_lean_factor_file.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        func leanFactor(_ t: Int) -> Double {
            let date = Timestamp(nanoseconds: raw.timestamps[t]).utcDate
            let key = date.year * 10_000 + date.month * 100 + date.day
            let row = rows.first { Int($0[0])! >= key }!
            return Double(row[1])! * Double(row[2])!
        }
        let last = leanFactor(raw.count - 1)
        var worst = 0.0
        for t in 0..<raw.count {
            let expected = Price(units: raw.closes[t]).doubleValue * leanFactor(t) / last
            worst = max(worst, abs(Price(units: adjusted.closes[t]).doubleValue / expected - 1))
        }
        #expect(adjusted.closes.last == raw.closes.last)
        #expect(worst < 2e-5, "worst relative difference \(worst)")
        // Splits only: exactly half before 2000-06-21, unchanged after; volumes doubled before it.
        let splitOnly = CorporateActionAdjuster.adjust(raw, actions: actions, mode: .splits)
        let split = raw.timestamps.firstIndex { Timestamp(nanoseconds: $0).utcDate == CivilDate(year: 2000, month: 6, day: 21) }!
        #expect(splitOnly.closes[split - 1] * 2 == raw.closes[split - 1])
        #expect(splitOnly.volumes[split - 1] == raw.volumes[split - 1] * 2)
        #expect(splitOnly.closes[split] == raw.closes[split])
    }
}
