import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import Testing

@Suite struct BanditStrategyTests {
    func synthetic(_ bars: Int, seed: UInt64) -> BarSeries {
        SyntheticMarket.series(bars: bars, seed: seed, interval: Timestamp.nanosPerDay)
    }

    /// With a single arm there is nothing to choose, so the bandit strategy must trade exactly like
    /// the plain SMA crossover with the same windows.
    @Test func oneArmTradesExactlyLikeTheSMACross() throws {
        let series = synthetic(3_000, seed: 11)
        let bandit = try StrategyRegistry.shared.backtest(strategy: "bandit-sma", parameters: StrategyParameters(["arms": "10/30"]),
                                                  series: [series], configuration: BacktestConfiguration())
        let plain = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(),
                                                 series: [series], configuration: BacktestConfiguration())
        #expect(bandit.fills.count > 20)
        #expect(bandit.fills.map(\.price) == plain.fills.map(\.price))
        #expect(bandit.fills.map(\.quantity) == plain.fills.map(\.quantity))
        #expect(bandit.fills.map(\.timestamp) == plain.fills.map(\.timestamp))
    }

    /// Several arms: decisions say which arm traded, the arm changes only after a closed round trip,
    /// more than one arm gets tried, and a fixed seed reproduces the run.
    @Test func armsSwitchOnlyAfterARoundTripAndRunsAreReproducible() throws {
        let series = synthetic(5_000, seed: 3)
        let parameters = StrategyParameters(["arms": "5/20,10/30,20/60", "seed": "7"])
        let first = try StrategyRegistry.shared.backtest(strategy: "bandit-sma", parameters: parameters,
                                                 series: [series], configuration: BacktestConfiguration())
        let again = try StrategyRegistry.shared.backtest(strategy: "bandit-sma", parameters: parameters,
                                                 series: [series], configuration: BacktestConfiguration())
        #expect(first.fills.map(\.price) == again.fills.map(\.price))

        let submitted = first.decisions.filter { $0.outcome == .submitted }
        #expect(submitted.count > 20)
        let arms = submitted.map { decision -> Int in
            let words = decision.detail.split(separator: " ")
            #expect(words.first == "arm")
            return Int(words[1]) ?? -1
        }
        #expect(Set(arms).count >= 2)
        #expect(Set(arms).isSubset(of: [0, 1, 2]))
        // A sell closes the long; the next buy may come from a new arm, but a sell always belongs to
        // the arm that opened the position.
        for (index, decision) in submitted.enumerated() where decision.action == .sell && index > 0 {
            if submitted[index - 1].action == .buy { #expect(arms[index] == arms[index - 1]) }
        }
    }

    @Test func malformedArmsAreRejectedWithTheText() {
        #expect(throws: ConfigurationError.self) {
            try StrategyRegistry.shared.backtest(strategy: "bandit-sma", parameters: StrategyParameters(["arms": "30/10"]),
                                         series: [synthetic(100, seed: 1)], configuration: BacktestConfiguration())
        }
        do {
            _ = try StrategyRegistry.shared.backtest(strategy: "bandit-sma", parameters: StrategyParameters(["arms": "5-20"]),
                                             series: [synthetic(100, seed: 1)], configuration: BacktestConfiguration())
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("5-20"))
        }
    }
}
