import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// Results on real series from ../shared/data against independent computations. Disabled, with a
/// message, when that data is not beside the repository.
@Suite(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
struct RealDataReferenceTests {
    static func loadOrcl() throws -> BarSeries {
        try BarCSVReader().read(path: TestPaths.sharedFile("orcl_daily.csv"), instrument: .usEquity("ORCL")).series
    }

    /// The SMA 10/30 rule written out plainly over Foundation `Decimal` columns parsed here, with no
    /// engine code: cross up buys 100 at the next open, cross down sells at the next open.
    @Test func smaCrossMatchesAHandLoopOnOrcl() throws {
        let text = try String(contentsOfFile: TestPaths.sharedFile("orcl_daily.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let opens = rows.map { Decimal(string: String($0[1]))! }
        let closes = rows.map { Decimal(string: String($0[4]))! }
        func mean(_ end: Int, _ n: Int) -> Decimal { closes[(end - n + 1)...end].reduce(0, +) / Decimal(n) }
        var cash = Decimal(1_000_000)
        var shares = 0
        var expectedFills: [(Int, Decimal)] = []
        for t in 30..<(closes.count - 1) {
            let (f, s, fp, sp) = (mean(t, 10), mean(t, 30), mean(t - 1, 10), mean(t - 1, 30))
            if f > s && fp <= sp && shares == 0 {
                shares = 100
                cash -= 100 * opens[t + 1]
                expectedFills.append((t + 1, opens[t + 1]))
            } else if f < s && fp >= sp && shares == 100 {
                shares = 0
                cash += 100 * opens[t + 1]
                expectedFills.append((t + 1, opens[t + 1]))
            }
        }
        let expectedEquity = cash + Decimal(shares) * closes.last!

        let series = try Self.loadOrcl()
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(["quantity": "100"]),
                                                  series: [series], configuration: BacktestConfiguration())
        #expect(result.fills.count == expectedFills.count)
        for (fill, expected) in zip(result.fills, expectedFills) {
            #expect(fill.timestamp.nanoseconds == series.timestamps[expected.0])
            #expect(Decimal(string: fill.price.description)! == expected.1)
        }
        #expect(Decimal(string: result.finalEquity.description)! == expectedEquity)
        #expect(result.finalEquity == Money("1002646.0652")!)
    }

    /// backtrader 1.9.78 (fixture written by scripts/fixtures/make_fixtures.py) on the same file.
    @Test func smaCrossMatchesBacktrader() throws {
        struct Fixture: Decodable {
            struct F: Decodable { var date: String; var side: String; var price: Double }
            var final_value: Double
            var fills: [F]
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("sma_cross_backtrader.json")))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(["quantity": "100"]),
                                                  series: [Self.loadOrcl()], configuration: BacktestConfiguration())
        #expect(result.fills.count == fixture.fills.count)
        for (fill, reference) in zip(result.fills, fixture.fills) {
            #expect(fill.timestamp.utcDate.description == reference.date)
            #expect(fill.side.rawValue == reference.side)
            #expect(abs(fill.price.doubleValue - reference.price) < 1e-9)
        }
        #expect(abs(result.finalEquity.doubleValue - fixture.final_value) < 1e-6)
    }

    /// Close-to-close statistics against empyrical-reloaded 0.7.1, to 1e-9 relative.
    @Test(arguments: ["orcl_daily.csv", "nvda_daily.csv", "btcusd_daily.csv", "aapl_daily_unadjusted.csv"])
    func returnStatisticsMatchEmpyrical(file: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("analyze_empyrical.json")))
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let expected = (root["series"] as! [String: Any])[file] as! [String: Double]
        let series = try BarCSVReader().read(path: TestPaths.sharedFile(file), instrument: .usEquity("X")).series
        let closes = series.closes.map { Double($0) / 1e9 }
        let stats = ReturnStatistics(returns: ReturnStatistics.simpleReturns(closes), periodsPerYear: 252)
        let actual: [String: Double] = [
            "annual_return": stats.annualReturn, "annual_volatility": stats.annualVolatility, "sharpe": stats.sharpe,
            "sortino": stats.sortino, "max_drawdown": stats.maxDrawdown, "calmar": stats.calmar,
            "var_95": stats.valueAtRisk95, "cvar_95": stats.conditionalValueAtRisk95,
        ]
        for (key, value) in actual {
            let reference = expected[key]!
            #expect(abs(value - reference) <= 1e-9 * abs(reference), "\(file) \(key): \(value) vs empyrical \(reference)")
        }
    }
}
