import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies
import Testing

/// The tearsheet's content checked against the run it describes (its rendering is checked in
/// headless Chromium by scripts/reports/tearsheet_check.py).
@Suite struct TearsheetTests {
    static let series = SyntheticMarket.series(bars: 900, seed: 31, interval: Timestamp.nanosPerDay)
    static let result = try! StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(["percent": "0.9"]),
                                                      series: [series], configuration: BacktestConfiguration())

    func page() -> String {
        Tearsheet(result: Self.result, series: [Self.series], title: "Backtest <test>", verdict: ValidationGate().judge(Self.result)).render()
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func theChartsAndTablesDescribeTheRun() {
        let html = page()
        #expect(!html.lowercased().contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(html.contains("Backtest &lt;test&gt;"))
        #expect(count("<svg", in: html) == 6)
        #expect(html.contains(ValidationGate().judge(Self.result).description.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")))
        // One row per year in the monthly table, and each year's total compounds that year's month-end equity.
        var yearEnd: [Int: Double] = [:]
        for point in Self.result.equity {
            yearEnd[CivilDate(daysSinceEpoch: point.timestamp.nanoseconds / Timestamp.nanosPerDay).year] = point.equity.doubleValue
        }
        var previous = Self.result.metrics.initialEquity.doubleValue
        for year in yearEnd.keys.sorted() {
            let total = yearEnd[year]! / previous - 1
            previous = yearEnd[year]!
            let text = String(Double(Int((total * 10_000).rounded())) / 100) + "%"
            #expect(html.contains("<tr><td class=\"left\">\(year)</td>"), "\(year)")
            #expect(html.contains("<b>\(text)</b>"), "\(year) total \(text)")
        }
        // The last 50 round trips, one row each.
        #expect(count("<td class=\"left\">long</td>", in: html) == min(50, Self.result.roundTrips.count))
        // Every fill in the last 150 bars is marked once.
        let first = Self.series.timestamps[Self.series.count - 150]
        let shown = Self.result.fills.filter { $0.timestamp.nanoseconds >= first }
        #expect(count("<title>buy</title>", in: html) == shown.filter { $0.side == .buy }.count)
        #expect(count("<title>sell</title>", in: html) == shown.filter { $0.side == .sell }.count)
        #expect(!shown.isEmpty)
    }

    /// A portfolio draws each instrument's candles with its own fills.
    @Test func eachInstrumentOfAPortfolioHasItsCandles() throws {
        let a = SyntheticMarket.series(bars: 400, seed: 41, interval: Timestamp.nanosPerDay, symbol: "AAA")
        let b = SyntheticMarket.series(bars: 400, seed: 42, interval: Timestamp.nanosPerDay, symbol: "BBB")
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(["fast": "5", "slow": "15"]),
                                                  series: [a, b], configuration: BacktestConfiguration())
        let html = Tearsheet(result: result, series: [a, b], title: "two", verdict: ValidationGate().judge(result)).render()
        #expect(count("<svg", in: html) == 7)
        #expect(html.contains("AAA: last 150 bars and fills") && html.contains("BBB: last 150 bars and fills"))
        let first = a.timestamps[250]
        let shown = result.fills.filter { $0.timestamp.nanoseconds >= first }
        #expect(count("<title>buy</title>", in: html) == shown.filter { $0.side == .buy }.count)
        #expect(Set(shown.map(\.instrument)).count == 2)
    }

    @Test func longRunsAreThinnedToALightPage() throws {
        let long = SyntheticMarket.series(bars: 60_000, seed: 2)
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(), series: [long],
                                                  configuration: BacktestConfiguration())
        let html = Tearsheet(result: result, series: [long], title: "long", verdict: ValidationGate().judge(result)).render()
        let lines = html.components(separatedBy: "<polyline points=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(lines.count >= 5 && lines.allSatisfy { $0.split(separator: " ").count <= 1_501 })
        #expect(html.utf8.count < 1_500_000)
    }
}
