import Foundation
import PeregrineCore

/// How a sweep picks the combinations it runs. `grid` runs every one; `random` a seeded sample of
/// them; `halving` (successive halving) runs all of them on the first part of the data, keeps the
/// best 1/eta by the objective, and repeats on ever longer prefixes until the survivors run on all
/// of it. Prefixes, never later data, so an early rung cannot peek at the end. All deterministic.
public enum SweepSearch: Sendable, Equatable, CustomStringConvertible {
    case grid
    case random(count: Int, seed: UInt64)
    case halving(eta: Int, rungs: Int)

    /// `grid`, `random:N` or `halving[:ETA[:RUNGS]]` (defaults eta 3, rungs 3).
    public init(parsing text: String, seed: UInt64) throws(ParameterGrid.ParseError) {
        let parts = text.split(separator: ":").map(String.init)
        func number(_ index: Int, _ fallback: Int, _ range: ClosedRange<Int>) throws(ParameterGrid.ParseError) -> Int {
            guard parts.count > index else { return fallback }
            guard let value = Int(parts[index]), range.contains(value) else {
                throw ParameterGrid.ParseError(description: "search '\(text)': '\(parts[index])' must be a whole number in \(range)")
            }
            return value
        }
        switch parts.first {
        case "grid" where parts.count == 1: self = .grid
        case "random" where parts.count == 2: self = .random(count: try number(1, 0, 1...100_000_000), seed: seed)
        case "halving" where parts.count <= 3: self = .halving(eta: try number(1, 3, 2...100), rungs: try number(2, 3, 1...10))
        default:
            throw ParameterGrid.ParseError(description: "search '\(text)': use grid, random:N or halving[:ETA[:RUNGS]]")
        }
    }

    public var description: String {
        switch self {
        case .grid: "grid"
        case .random(let count, let seed): "random:\(count) (seed \(seed))"
        case .halving(let eta, let rungs): "halving:\(eta):\(rungs)"
        }
    }

    /// One round of successive halving: how many bars, how many candidates.
    public struct Rung: Sendable, Equatable {
        public var bars: Int
        public var candidates: Int

        public init(bars: Int, candidates: Int) {
            self.bars = bars
            self.candidates = candidates
        }
    }

    /// Runs the search over `candidates` (the grid's combinations). The results are the final
    /// candidates' on all of the data, in candidate order; `rungs` lists each round of halving.
    public func run(_ sweep: SMACrossSweep, candidates: [SMACrossSweep.Combination], objective: SMACrossSweep.Objective,
                    threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Int) -> Void)? = nil)
        -> (results: [SMACrossSweep.Result], rungs: [Rung])
    {
        func evaluate(_ on: SMACrossSweep, _ combinations: [SMACrossSweep.Combination]) -> [SMACrossSweep.Result] {
            on.run(combinations, threads: threads, progress: progress)
        }
        switch self {
        case .grid:
            return (evaluate(sweep, candidates), [])
        case .random(let count, let seed):
            return (evaluate(sweep, Self.sample(candidates, count: count, seed: seed)), [])
        case .halving(let eta, let rungCount):
            var survivors = candidates
            var rungs: [Rung] = []
            let total = sweep.series.count
            let longest = candidates.map(\.slow).max() ?? 1
            for rung in 0..<rungCount {
                var power = 1
                for _ in 0..<(rungCount - 1 - rung) { power *= eta }
                let bars = rung == rungCount - 1 ? total : min(total, max(total / power, longest + 2))
                var part = sweep
                if bars != total {
                    part = SMACrossSweep(series: sweep.series.slice(0..<bars), quantity: sweep.quantity, initialCash: sweep.initialCash,
                                         commission: sweep.commission, periodsPerYear: sweep.periodsPerYear)
                    part.blockSize = sweep.blockSize
                    part.significanceBlocks = sweep.significanceBlocks
                }
                let results = evaluate(part, survivors)
                rungs.append(Rung(bars: bars, candidates: survivors.count))
                if rung == rungCount - 1 { return (results, rungs) }
                let keep = max(1, (survivors.count + eta - 1) / eta)
                survivors = Self.ranked(results, by: objective).prefix(keep).map(\.combination)
            }
            return ([], rungs)
        }
    }

    /// Best first by the objective (unusable values last), ties by smaller parameters.
    public static func ranked(_ results: [SMACrossSweep.Result], by objective: SMACrossSweep.Objective) -> [SMACrossSweep.Result] {
        results.sorted {
            let a = $0.value(of: objective), b = $1.value(of: objective)
            if a.isFinite != b.isFinite { return a.isFinite }
            if a.isFinite && a != b { return a > b }
            return ($0.combination.fast, $0.combination.slow) < ($1.combination.fast, $1.combination.slow)
        }
    }

    /// `count` distinct candidates drawn without replacement by a seeded generator, in candidate order.
    static func sample<Candidate>(_ candidates: [Candidate], count: Int, seed: UInt64) -> [Candidate] {
        guard count < candidates.count else { return candidates }
        var indices = Array(candidates.indices)
        var generator = SeededGenerator(seed: seed)
        for i in 0..<count {
            let j = i + Int(generator.next() % UInt64(indices.count - i))
            indices.swapAt(i, j)
        }
        return indices.prefix(count).sorted().map { candidates[$0] }
    }
}
