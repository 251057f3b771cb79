import Foundation
import PeregrineCore
import PeregrineModels
import Testing

/// Bandits on a problem with a known best arm: Bernoulli arms with win rates 0.2 ... 0.7.
@Suite struct BanditTests {
    static let rates = [0.2, 0.3, 0.4, 0.5, 0.7]

    /// Expected regret after each pull count in `checkpoints`.
    func regret(_ choose: (inout SeededGenerator) -> Int, _ learn: (Int, Bool) -> Void, pulls: Int, seed: UInt64) -> [Int: Double] {
        var market = SeededGenerator(seed: seed)
        var chooser = SeededGenerator(seed: seed &+ 1)
        var total = 0.0
        var marks: [Int: Double] = [:]
        for t in 1...pulls {
            let arm = choose(&chooser)
            total += Self.rates.max()! - Self.rates[arm]
            learn(arm, market.nextUniform() < Self.rates[arm])
            if t == pulls / 10 || t == pulls { marks[t] = total }
        }
        return marks
    }

    /// Sublinear regret: ten times the pulls costs well under ten times the regret, and the
    /// average regret per pull ends small.
    func expectSublinear(_ marks: [Int: Double], _ name: String) {
        let early = marks[1_000]!, late = marks[10_000]!
        #expect(late < 4 * early, "\(name): regret \(early) at 1,000 and \(late) at 10,000 pulls")
        #expect(late / 10_000 < 0.05, "\(name): average regret \(late / 10_000)")
    }

    @Test func thompsonBetaRegretIsSublinear() {
        var bandit = ThompsonBetaBandit(arms: 5)
        expectSublinear(regret({ bandit.select(&$0) }, { bandit.update(arm: $0, won: $1) }, pulls: 10_000, seed: 1), "Thompson")
    }

    @Test func ucb1RegretIsSublinear() {
        var bandit = UCB1Bandit(arms: 5)
        expectSublinear(regret({ _ in bandit.select() }, { bandit.update(arm: $0, reward: $1 ? 1 : 0) }, pulls: 10_000, seed: 2), "UCB1")
    }

    @Test func epsilonGreedyRegretIsSublinear() {
        var bandit = EpsilonGreedyBandit(arms: 5, exploration: 20)
        expectSublinear(regret({ bandit.select(&$0) }, { bandit.update(arm: $0, reward: $1 ? 1 : 0) }, pulls: 10_000, seed: 3), "epsilon-greedy")
    }

    @Test func gaussianThompsonFindsTheBestMean() {
        var bandit = ThompsonGaussianBandit(arms: 3, priorRate: 1e-4)
        var market = SeededGenerator(seed: 9)
        var chooser = SeededGenerator(seed: 10)
        let means = [0.0, 0.001, -0.0005]
        var plays = [0, 0, 0]
        for t in 0..<5_000 {
            let arm = bandit.select(&chooser)
            if t >= 4_000 { plays[arm] += 1 }
            bandit.update(arm: arm, reward: market.nextNormal(mean: means[arm], standardDeviation: 0.01))
        }
        #expect(plays[1] > 800, "late plays: \(plays)")
    }

    /// Saving the state mid-way and continuing gives the same choices as never stopping.
    @Test func stateSurvivesARestart() throws {
        func run(restartAt: Int?) throws -> [Int] {
            var bandit = ThompsonBetaBandit(arms: 5)
            var market = SeededGenerator(seed: 4)
            var chooser = SeededGenerator(seed: 5)
            var choices: [Int] = []
            for t in 0..<1_000 {
                if t == restartAt {
                    let saved = try JSONEncoder().encode(bandit)
                    bandit = try JSONDecoder().decode(ThompsonBetaBandit.self, from: saved)
                }
                let arm = bandit.select(&chooser)
                choices.append(arm)
                bandit.update(arm: arm, won: market.nextUniform() < Self.rates[arm])
            }
            return choices
        }
        #expect(try run(restartAt: 500) == run(restartAt: nil))
        var ucb = UCB1Bandit(arms: 3)
        for arm in [0, 1, 2, 1] { ucb.update(arm: arm, reward: Double(arm)) }
        #expect(try JSONDecoder().decode(UCB1Bandit.self, from: JSONEncoder().encode(ucb)) == ucb)
    }
}
