import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineModels
import PeregrineResearch
import PeregrineStrategies
import Testing

/// A sweep cut into shards: the shard comes from K/N or the scheduler's variables, the shards'
/// slices cover every combination exactly once, and the rows put back together equal the
/// one-machine sweep's, on the kernel and on the sma-cross fast path, for a grid and a random search.
@Suite struct ShardedSweepTests {
    @Test func theShardComesFromTheArgumentOrTheScheduler() throws {
        #expect(try SweepShard(parsing: "2/4", environment: [:]) == SweepShard(index: 2, count: 4))
        #expect(try SweepShard(parsing: "auto/4", environment: ["JOB_COMPLETION_INDEX": "3"]).index == 3)
        // Kubernetes first; Slurm's task id counts from the array's first id.
        #expect(try SweepShard(parsing: "auto/4", environment: ["JOB_COMPLETION_INDEX": "0", "SLURM_ARRAY_TASK_ID": "2"]).index == 0)
        #expect(try SweepShard(parsing: "auto/4", environment: ["SLURM_ARRAY_TASK_ID": "2"]).index == 2)
        #expect(try SweepShard(parsing: "auto/4", environment: ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1"]).index == 3)
        let refusals: [(String, [String: String], String)] = [
            ("4/4", [:], "from 0 to 3"), ("-1/4", [:], "from 0 to 3"), ("1/0", [:], "from 1 to"), ("1", [:], "expected K/N"),
            ("one/4", [:], "not a whole number"), ("auto/4", [:], "JOB_COMPLETION_INDEX"),
            ("auto/4", ["JOB_COMPLETION_INDEX": "x"], "JOB_COMPLETION_INDEX 'x'"), ("auto/4", ["SLURM_ARRAY_TASK_ID": "5"], "from 0 to 3"),
            ("auto/2", ["SLURM_ARRAY_TASK_ID": "\(Int.min)", "SLURM_ARRAY_TASK_MIN": "1"], "out of range"),
        ]
        for (text, environment, message) in refusals {
            #expect { try SweepShard(parsing: text, environment: environment) } throws: {
                "\($0)".contains(message)
            }
        }
    }

    @Test func theSlicesCoverEveryPositionOnce() throws {
        for (total, count) in [(0, 3), (1, 4), (10, 3), (97, 8), (5, 7)] {
            let slices = try (0..<count).map { try SweepShard(index: $0, count: count).positions(of: total) }
            #expect(slices.flatMap { $0 }.sorted() == Array(0..<total), "\(total) in \(count)")
            #expect(slices.allSatisfy { $0 == $0.sorted() })
            // Striding keeps the slices within one of each other in size.
            #expect((slices.map(\.count).max() ?? 0) - (slices.map(\.count).min() ?? 0) <= 1)
        }
    }

    /// FNV-1a 64's published test vectors (Fowler, Noll and Vo).
    @Test func stableHashIsFNV1a() {
        for (text, expected) in [("", "cbf29ce484222325"), ("a", "af63dc4c8601ec8c"), ("foobar", "85944171f73967e8")] {
            var hash = StableHash()
            hash.combine(bytes: text.utf8)
            #expect(hash.hex == expected, "\(text)")
        }
        var a = StableHash(), b = StableHash()
        a.combine("ab")
        a.combine("c")
        b.combine("a")
        b.combine("bc")
        #expect(a.hex != b.hex)
    }

    @Test func theIdChangesWithOptionsBarsAndShardCount() {
        let bars = [SyntheticMarket.series(bars: 300, seed: 4, interval: Timestamp.nanosPerDay)]
        let id = SweepIdentity.derive(options: ["--grid", "fast=2..9"], series: bars, shards: 4)
        #expect(id == SweepIdentity.derive(options: ["--grid", "fast=2..9"], series: bars, shards: 4))
        #expect(id.hasPrefix("sweep-") && id.count == 22)
        #expect(id != SweepIdentity.derive(options: ["--grid", "fast=2..8"], series: bars, shards: 4))
        #expect(id != SweepIdentity.derive(options: ["--grid", "fast=2..9"], series: bars, shards: 3))
        var moved = bars[0]
        moved = BarSeries(instrument: moved.instrument, bars: (0..<moved.count).map { i in
            var bar = moved[i]
            if i == 150 { bar.volume = Quantity(units: bar.volume.units + 1) }
            return bar
        })
        #expect(id != SweepIdentity.derive(options: ["--grid", "fast=2..9"], series: [moved], shards: 4))
    }

    /// Every shard's rows, put back at their positions, equal the one-machine sweep's rows in order,
    /// figures and moments alike; on the fast path the whole sweep's chosen row's kernel moments come
    /// from the shard it ran in.
    @Test(arguments: [(false, SweepSearch.grid), (false, .random(count: 23, seed: 5)), (true, .grid), (true, .random(count: 31, seed: 8))])
    func shardsPutTogetherEqualTheOneMachineSweep(fastPath useFastPath: Bool, search: SweepSearch) throws {
        let series = [SyntheticMarket.series(bars: 1_200, seed: 21, interval: Timestamp.nanosPerDay)]
        var configuration = BacktestConfiguration()
        configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
        // fast=31 against slow=30 is refused by sma-cross: a failed row the order must place as the one-machine sweep does.
        let grid = try StrategyGrid(axes: ["fast=3..31:4", "slow=30..90:15"], constraints: [])
        let base = StrategyParameters(["quantity": "100"])
        var fast = SMACrossFastPath(strategy: "sma-cross", base: base, grid: grid, series: series, configuration: configuration)
        fast.significanceBlocks = 8
        #expect(fast.refusal == nil)
        let whole: [StrategySweep.Result]
        if useFastPath {
            whole = fast.run(search, candidates: grid.combinations, objective: .sharpe, threads: 2).results
        } else {
            var kernel = StrategySweep(strategy: "sma-cross", base: base, series: series, configuration: configuration)
            kernel.significanceBlocks = 8
            whole = kernel.run(search, candidates: grid.combinations, objective: .sharpe, threads: 2).results
        }
        if search == .grid { #expect(whole.count == 40 && whole.filter { $0.failure != nil }.map(\.text) == ["fast=31 slow=30"]) }
        let sharded = try ShardedSweep(strategy: "sma-cross", base: base, candidates: grid.combinations, search: search, series: series,
                                       configuration: configuration, fastPath: useFastPath ? fast : nil, objective: .sharpe,
                                       significanceBlocks: 8)
        #expect(sharded.order.count == whole.count)
        var collected = [StrategySweep.Result?](repeating: nil, count: sharded.order.count)
        var chosen: [(position: Int, moments: [ReturnMoments])] = []
        for index in 0..<3 {
            let part = sharded.run(try SweepShard(index: index, count: 3), threads: 2)
            for (position, result) in zip(part.positions, part.results) { collected[position] = result }
            if let refined = part.chosen { chosen.append(refined) }
        }
        var rows = collected.compactMap { $0 }
        #expect(rows.count == whole.count)
        let best = StrategySweep.ranked(rows.filter { $0.failure == nil }, by: .sharpe).first
        if useFastPath {
            #expect(chosen.count == 3)
            let position = try #require(rows.firstIndex { $0.values == best?.values })
            let refined = try #require(chosen.first { $0.position == position })
            rows[position].blockMoments = refined.moments
            // The kernel's moments carry skewness; the fast path's brief ones do not.
            #expect(refined.moments.allSatisfy { !$0.sumOfCubes.isNaN })
        } else {
            #expect(chosen.isEmpty)
        }
        #expect(rows.map(Self.exact) == whole.map(Self.exact))
    }

    /// Every figure of a row as text that tells bits apart (NaN equals NaN here, unlike ==).
    static func exact(_ r: StrategySweep.Result) -> String {
        [r.text, "\(r.roundTrips)", "\(r.openTrades)", "\(r.fills)", r.finalEquity.description, "\(r.totalReturn)", "\(r.sharpe)",
         "\(r.sortino)", "\(r.maxDrawdown)", "\(r.calmar)", "\(r.profitFactor)", ReturnMoments.exactText(of: r.blockMoments),
         r.failure ?? "-"].joined(separator: "|")
    }

    @Test func successiveHalvingIsNotSharded() {
        let series = [SyntheticMarket.series(bars: 300, seed: 2, interval: Timestamp.nanosPerDay)]
        #expect { try ShardedSweep(strategy: "sma-cross", base: StrategyParameters([:]), candidates: [["fast": "2", "slow": "9"]],
                                   search: .halving(eta: 3, rungs: 3), series: series, configuration: BacktestConfiguration(),
                                   fastPath: nil, objective: .sharpe, significanceBlocks: 0) } throws: { "\($0)".contains("halving") }
    }
}
