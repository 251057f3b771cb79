import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineModels
import PeregrineStrategies
import Testing

/// bandit-sma's `algorithm` and `reward`: replaying a run's own round trips through a fresh bandit of
/// the named kind (same seed) must choose exactly the arms the run traded, in order; a
/// volatility-target arm trades like sma-cross with the same volatility target.
@Suite struct BanditAlgorithmTests {
    static let series = SyntheticMarket.series(bars: 6_000, seed: 17, interval: Timestamp.nanosPerDay)

    /// Each entry's arm (from its decision note) and each closed round trip's win and return (from the fills).
    static func trades(_ result: BacktestResult) -> (arms: [Int], outcomes: [(won: Bool, value: Double)]) {
        let entries = result.decisions.filter { $0.outcome == .submitted && $0.action == .buy }
        let arms = entries.map { Int($0.detail.split(separator: " ")[1]) ?? -1 }
        var outcomes: [(Bool, Double)] = []
        var cost = Money.zero
        for fill in result.fills {
            if fill.side == .buy {
                cost += fill.notional + fill.commission
            } else {
                let proceeds = fill.notional - fill.commission
                outcomes.append((proceeds > cost, proceeds.doubleValue / cost.doubleValue - 1))
                cost = .zero
            }
        }
        return (arms, outcomes)
    }

    @Test(arguments: [("ucb1", "return"), ("ucb1", "win"), ("epsilon-greedy", "win"), ("epsilon-greedy", "return"),
                      ("thompson", "return"), ("thompson", "win")])
    func aFreshBanditReplayingTheTradesChoosesTheSameArms(algorithm: String, reward: String) throws {
        var configuration = BacktestConfiguration()
        configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
        let result = try StrategyRegistry.shared.backtest(
            strategy: "bandit-sma", parameters: StrategyParameters(["arms": "5/20,10/30,20/60,3/15", "algorithm": algorithm,
                                                                    "reward": reward, "seed": "5", "exploration": "3"]),
            series: [Self.series], configuration: configuration)
        let (arms, outcomes) = Self.trades(result)
        #expect(arms.count >= 30, "\(arms.count) entries")
        #expect(Set(arms).count >= 2)
        var bandit = TradeBandit(algorithm: TradeBandit.Algorithm(rawValue: algorithm)!, reward: TradeBandit.Reward(rawValue: reward)!,
                                 arms: 4, exploration: 3)
        var generator = SeededGenerator(seed: 5)
        for (k, arm) in arms.enumerated() {
            #expect(bandit.select(&generator) == arm, "entry \(k) of \(algorithm)/\(reward)")
            guard k < outcomes.count else { break }
            bandit.update(arm: arm, won: outcomes[k].won, return: outcomes[k].value)
        }
    }

    @Test func rewardsMatterToUCB1() throws {
        // UCB1 on returns and on wins learn different things from the same kind of trades.
        func arms(_ reward: String) throws -> [Int] {
            Self.trades(try StrategyRegistry.shared.backtest(
                strategy: "bandit-sma", parameters: StrategyParameters(["arms": "5/20,10/30,20/60,3/15", "algorithm": "ucb1", "reward": reward]),
                series: [Self.series], configuration: BacktestConfiguration())).arms
        }
        #expect(try arms("win") != arms("return"))
    }

    @Test func aVolatilityTargetArmTradesLikeSMACrossWithTheSameTarget() throws {
        let bandit = try StrategyRegistry.shared.backtest(
            strategy: "bandit-sma", parameters: StrategyParameters(["arms": "10/30/vt", "vol_target": "0.1", "vol_window": "25"]),
            series: [Self.series], configuration: BacktestConfiguration())
        let plain = try StrategyRegistry.shared.backtest(
            strategy: "sma-cross", parameters: StrategyParameters(["fast": "10", "slow": "30", "percent": "1", "vol_target": "0.1",
                                                                   "vol_window": "25"]),
            series: [Self.series], configuration: BacktestConfiguration())
        #expect(bandit.fills.count > 20)
        #expect(bandit.fills.map(\.quantity) == plain.fills.map(\.quantity))
        #expect(bandit.fills.map(\.timestamp) == plain.fills.map(\.timestamp))
        // The sizes vary with volatility, not the fixed 100.
        #expect(Set(bandit.fills.map(\.quantity)).count > 5)
        #expect(throws: ConfigurationError.self) {
            try StrategyRegistry.shared.backtest(strategy: "bandit-sma", parameters: StrategyParameters(["arms": "10/30/xx"]),
                                                 series: [Self.series], configuration: BacktestConfiguration())
        }
        #expect(throws: ConfigurationError.self) {
            try StrategyRegistry.shared.backtest(strategy: "bandit-sma", parameters: StrategyParameters(["algorithm": "greedy"]),
                                                 series: [Self.series], configuration: BacktestConfiguration())
        }
    }
}
