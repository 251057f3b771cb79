import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// A sweep cut into shards that run on different machines and meet in one store: the one-machine
/// sweep's order of results, the slice each shard runs, and what a shard must keep so the rows put
/// back together rank, summarize and test for significance exactly as the one-machine sweep does.
public struct ShardedSweep: Sendable {
    /// One shard's outcome: its combinations' positions in `order` and their results, in order.
    public struct Part: Sendable {
        public var positions: [Int]
        public var results: [StrategySweep.Result]
        /// The shard's first combination by the objective with its full (kernel) moments, on the
        /// fast path, whose other rows carry brief ones: if it is the whole sweep's first, collect
        /// gives it these moments, as the one-machine fast path does.
        public var chosen: (position: Int, moments: [ReturnMoments])?
    }

    /// Every combination of the whole sweep, in the order the one-machine sweep gives its results.
    public let order: [[String: String]]
    let kernel: StrategySweep
    let fastPath: SMACrossFastPath?
    let objective: SMACrossSweep.Objective

    /// - Parameter fastPath: the sma-cross fast path when the sweep takes it, nil for the kernel.
    public init(strategy: String, base: StrategyParameters, candidates: [[String: String]], search: SweepSearch, series: [BarSeries],
                configuration: BacktestConfiguration, fastPath: SMACrossFastPath?, objective: SMACrossSweep.Objective,
                significanceBlocks: Int) throws(ParameterGrid.ParseError) {
        let order = if let fastPath { fastPath.resultOrder(candidates, search: search) } else { search.onePassOrder(candidates) }
        guard let order else {
            throw ParameterGrid.ParseError(description: "--search \(search) cannot be sharded: each rung of successive halving needs "
                + "every result of the rung before; use grid or random:N")
        }
        self.order = order
        var kernel = StrategySweep(strategy: strategy, base: base, series: series, configuration: configuration)
        kernel.significanceBlocks = significanceBlocks
        self.kernel = kernel
        var fast = fastPath
        fast?.significanceBlocks = significanceBlocks
        self.fastPath = fast
        self.objective = objective
    }

    /// Whether the sma-cross fast path runs the combinations.
    public var usesFastPath: Bool { fastPath != nil }

    /// Runs `shard`'s slice of `order` on `threads` workers.
    public func run(_ shard: SweepShard, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: (@Sendable (Int) -> Void)? = nil) -> Part {
        let positions = shard.positions(of: order.count)
        let slice = positions.map { order[$0] }
        guard let fastPath else {
            return Part(positions: positions, results: kernel.run(slice, threads: threads, progress: progress), chosen: nil)
        }
        // The slice keeps the order's shape (rows the fast path runs, then the refused), which is the
        // shape of the fast path's output, so results line up with positions.
        let results = fastPath.run(.grid, candidates: slice, objective: objective, threads: threads, progress: progress,
                                   refiningChosen: false).results
        let ran = results.enumerated().filter { $0.element.failure == nil }
        var chosen: (position: Int, moments: [ReturnMoments])?
        if let best = fastPath.chosenMoments(ran.map(\.element), objective: objective) {
            chosen = (positions[ran[best.index].offset], best.moments)
        }
        return Part(positions: positions, results: results, chosen: chosen)
    }
}
