import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

@Suite struct SignalStrategyTests {
    func synthetic(_ bars: Int, seed: UInt64) -> BarSeries {
        SyntheticMarket.series(bars: bars, seed: seed, interval: Timestamp.nanosPerDay)
    }

    @Test func signalingGameLogsEveryDecisionWithAReasonAndSizesWithinCaps() throws {
        let series = synthetic(1_500, seed: 5)
        let result = try StrategyRegistry.shared.backtest(strategy: "signaling-game", parameters: StrategyParameters(),
                                                  series: [series], configuration: BacktestConfiguration())
        #expect(result.decisions.count > 1_000)
        // After 252 returns the HMM regime probabilities appear in the signal metadata.
        #expect(result.decisions.prefix(100).allSatisfy { !$0.detail.contains("regime=") })
        #expect(result.decisions.suffix(500).contains { $0.detail.contains("regime=") })
        for decision in result.decisions {
            #expect(!decision.reason.code.isEmpty)
            if decision.outcome == .held { #expect(!decision.detail.isEmpty) }
        }
        // Entries are brackets whose notional respects max_position (15%) of equity at the time, roughly.
        let entries = result.orders.filter { $0.legRole == .entry }
        #expect(!entries.isEmpty)
        for entry in entries {
            let price = entry.averageFillPrice ?? Price(1)
            #expect((price * entry.quantity).doubleValue <= 0.15 * 1.2 * 1_000_000)
        }
        #expect(result.orders.contains { $0.legRole == .stopLoss } && result.orders.contains { $0.legRole == .takeProfit })
        // Long-only: never short at any time.
        var position = Quantity.zero
        for fill in result.fills {
            position += fill.signedQuantity
            #expect(position.units >= 0)
        }
    }

    @Test func rsiBollingerBuysOnlyOversoldBelowTheBand() throws {
        let result = try StrategyRegistry.shared.backtest(strategy: "rsi-bollinger", parameters: StrategyParameters(),
                                                  series: [synthetic(3_000, seed: 8)], configuration: BacktestConfiguration())
        let entries = result.decisions.filter { $0.reason == .openLong }
        #expect(!entries.isEmpty)
        for entry in entries { #expect(entry.detail.hasPrefix("oversold_below_band")) }
    }

    @Test func hmmRegimeNeverEntersInTheBearState() throws {
        let result = try StrategyRegistry.shared.backtest(strategy: "hmm-regime", parameters: StrategyParameters(["training": "200"]),
                                                  series: [synthetic(1_200, seed: 2)], configuration: BacktestConfiguration())
        let entries = result.decisions.filter { $0.reason == .openLong }
        #expect(!entries.isEmpty)
        for entry in entries { #expect(!entry.detail.contains("regime=bear")) }
        // Nothing before the training window is complete.
        let firstDecision = try #require(result.decisions.first)
        #expect(firstDecision.timestamp.nanoseconds >= result.equity[200].timestamp.nanoseconds)
    }

    /// Every daily file of ../shared/data runs and leaves a decision log in which every row has a reason.
    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)),
          arguments: ["orcl_daily.csv", "nvda_daily.csv", "aapl_daily_unadjusted.csv", "btcusd_daily.csv"])
    func signalingGameRunsOnRealDailyFiles(file: String) throws {
        let series = try BarCSVReader().read(path: TestPaths.sharedFile(file), instrument: .usEquity("X")).series
        let result = try StrategyRegistry.shared.backtest(strategy: "signaling-game", parameters: StrategyParameters(),
                                                  series: [series], configuration: BacktestConfiguration())
        let path = TestPaths.temporaryFolder() + "/decisions.csv"
        try BacktestReport(result: result, strategy: "signaling-game", parameters: [:], dataSources: [file], loadSeconds: 0,
                           runSeconds: 0).writeDecisions(path)
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count > series.count / 2)
        for row in rows {
            let reason = row.split(separator: ",", omittingEmptySubsequences: false)[4]
            #expect(!reason.isEmpty)
        }
    }
}
