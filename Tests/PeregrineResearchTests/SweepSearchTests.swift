import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import Synchronization
import Testing

/// Random search and successive halving pick their combinations as described, deterministically,
/// and what they run equals what the full grid gets for the same combinations.
@Suite struct SweepSearchTests {
    static let series = SyntheticMarket.series(bars: 9_000, seed: 23)
    static let sweep = SMACrossSweep(series: series, quantity: Quantity(100), initialCash: Money(1_000_000),
                                     periodsPerYear: BacktestConfiguration.inferredPeriodsPerYear(
                                        interval: series.typicalInterval, calendar: .usEquity))
    static let candidates = SMACrossSweep.grid(fast: stride(from: 2, through: 40, by: 2), slow: stride(from: 10, through: 160, by: 5))
    static let grid = sweep.run(candidates)

    func gridResult(_ c: SMACrossSweep.Combination) -> SMACrossSweep.Result {
        Self.grid[Self.candidates.firstIndex(of: c)!]
    }

    @Test func randomSearchSamplesDistinctCombinationsBySeed() throws {
        let plan = try SweepSearch(parsing: "random:60", seed: 4)
        let (results, rungs) = plan.run(Self.sweep, candidates: Self.candidates, objective: .sharpe)
        let picked = results.map(\.combination)
        #expect(rungs.isEmpty && picked.count == 60 && Set(picked).count == 60)
        #expect(picked.allSatisfy(Self.candidates.contains))
        #expect(results.allSatisfy { $0 == gridResult($0.combination) })
        let again = plan.run(Self.sweep, candidates: Self.candidates, objective: .sharpe, threads: 1).results.map(\.combination)
        #expect(again == picked)
        let other = try SweepSearch(parsing: "random:60", seed: 5).run(Self.sweep, candidates: Self.candidates, objective: .sharpe)
        #expect(other.results.map(\.combination) != picked)
    }

    @Test func successiveHalvingKeepsTheBestThirdOnLongerPrefixes() throws {
        let plan = try SweepSearch(parsing: "halving:3:3", seed: 0)
        let (results, rungs) = plan.run(Self.sweep, candidates: Self.candidates, objective: .sharpe)
        let n = Self.candidates.count
        let second = (n + 2) / 3, third = (second + 2) / 3
        #expect(rungs == [.init(bars: 1_000, candidates: n), .init(bars: 3_000, candidates: second),
                          .init(bars: 9_000, candidates: third)])
        // Rung 2's candidates are the best third of every combination on the first 1,000 bars, by an
        // independent run and ranking.
        let prefix = SMACrossSweep(series: Self.series.slice(0..<1_000), quantity: Quantity(100), initialCash: Money(1_000_000),
                                   periodsPerYear: Self.sweep.periodsPerYear).run(Self.candidates)
        let best = prefix.sorted { a, b in
            let x = a.sharpe.isFinite ? a.sharpe : -.infinity, y = b.sharpe.isFinite ? b.sharpe : -.infinity
            return x != y ? x > y : (a.combination.fast, a.combination.slow) < (b.combination.fast, b.combination.slow)
        }.prefix(second).map(\.combination)
        let middle = SMACrossSweep(series: Self.series.slice(0..<3_000), quantity: Quantity(100), initialCash: Money(1_000_000),
                                   periodsPerYear: Self.sweep.periodsPerYear).run(best)
        let survivors = SweepSearch.ranked(middle, by: .sharpe).prefix(third).map(\.combination)
        #expect(Set(results.map(\.combination)) == Set(survivors))
        // The last rung runs on all the data: the grid's own figures for those combinations.
        #expect(results.allSatisfy { $0 == gridResult($0.combination) })
        #expect(plan.run(Self.sweep, candidates: Self.candidates, objective: .sharpe, threads: 1).results == results)
    }

    @Test func progressCountsEveryCombination() {
        let seen = Mutex<[Int]>([])
        _ = Self.sweep.run(Array(Self.candidates.prefix(200)), threads: 2, progress: { count in seen.withLock { $0.append(count) } })
        let counts = seen.withLock { $0 }
        #expect(counts.max() == 200 && counts.count >= 3)
    }

    @Test func badSearchesAreNamed() {
        for text in ["random", "random:0", "halving:1", "halving:3:0", "bayes", "grid:2"] {
            #expect(throws: ParameterGrid.ParseError.self, "\(text)") { try SweepSearch(parsing: text, seed: 0) }
        }
    }
}
