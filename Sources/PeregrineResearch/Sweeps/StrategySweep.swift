import Foundation
import Synchronization
import PeregrineCore
import PeregrineEngine
import PeregrineModels
import PeregrineStrategies

/// A sweep of any registered strategy: every combination is an ordinary backtest in the
/// event-driven kernel (the same strategy, run options, risk limits, exits and sizing as
/// `peregrine backtest`), so each row equals its own backtest to the last unit. Combinations run
/// in parallel across cores; each simulation's event order stays sequential. A strategy that
/// replays signal tapes (signaling-game) records one tape per distinct engine setting and every
/// combination sharing it replays it, so varying thresholds costs a pass of the books, not a refit.
public struct StrategySweep: Sendable {
    /// One combination's outcome; `failure` names why it could not run (its parameters refused).
    public struct Result: Sendable, Equatable {
        /// The swept values of this combination, by parameter name.
        public var values: [String: String]
        public var roundTrips = 0
        public var openTrades = 0
        public var fills = 0
        public var finalEquity = Money.zero
        public var totalReturn = Double.nan
        public var sharpe = Double.nan
        public var sortino = Double.nan
        public var maxDrawdown = Double.nan
        public var calmar = Double.nan
        public var profitFactor = Double.nan
        /// The moments of the per-period returns in each of the sweep's `significanceBlocks`
        /// consecutive blocks of bars, for the deflated Sharpe and the probability of overfitting.
        public var blockMoments: [ReturnMoments] = []
        public var failure: String?

        /// A combination not yet run: its values, no figures.
        public init(values: [String: String]) { self.values = values }

        public func value(of objective: SMACrossSweep.Objective) -> Double {
            guard failure == nil else { return .nan }
            switch objective {
            case .sharpe: return sharpe
            case .sortino: return sortino
            case .calmar: return calmar
            case .totalReturn: return totalReturn
            case .finalEquity: return finalEquity.doubleValue
            case .profitFactor: return profitFactor
            }
        }

        /// `fast=10 slow=30`, names in order.
        public var text: String { values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: " ") }
    }

    public let strategy: String
    /// Parameters every combination shares; a combination's values override them.
    public let base: StrategyParameters
    public let series: [BarSeries]
    public let configuration: BacktestConfiguration
    /// Blocks of bars each combination's returns are summarized in (`BacktestOverfitting`'s S).
    public var significanceBlocks = SweepSignificance.defaultBlocks

    public init(strategy: String, base: StrategyParameters, series: [BarSeries], configuration: BacktestConfiguration) {
        self.strategy = strategy
        self.base = base
        self.series = series
        self.configuration = configuration
    }

    /// The parameters of one combination.
    public func parameters(_ values: [String: String]) -> StrategyParameters {
        StrategyParameters(base.values.merging(values) { $1 })
    }

    /// The same sweep on the first `bars` bars of every series (successive halving's rungs).
    public func prefix(_ bars: Int) -> StrategySweep {
        var part = StrategySweep(strategy: strategy, base: base, series: series.map { $0.slice(0..<min(bars, $0.count)) },
                                 configuration: configuration)
        part.significanceBlocks = significanceBlocks
        return part
    }

    /// Runs every combination, in order, on `threads` workers.
    public func run(_ combinations: [[String: String]], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: (@Sendable (Int) -> Void)? = nil) -> [Result] {
        let tapes = signalTapes(for: combinations)
        var results = combinations.map { Result(values: $0) }
        // The next combination to take and how many are finished.
        let counters = Mutex((next: 0, done: 0))
        results.withUnsafeMutableBufferPointer { slots in
            let output = UnsafeMutableSendableBuffer(slots)
            DispatchQueue.concurrentPerform(iterations: max(1, min(threads, combinations.count))) { _ in
                while true {
                    let index: Int = counters.withLock { value in
                        defer { value.next += 1 }
                        return value.next
                    }
                    guard index < combinations.count else { return }
                    output.buffer[index] = evaluate(combinations[index], tape: tapes[index])
                    let done = counters.withLock { value in
                        value.done += 1
                        return value.done
                    }
                    progress?(done)
                }
            }
        }
        return results
    }

    /// One combination's backtest, summarized.
    public func evaluate(_ values: [String: String], tape: SignalTape? = nil) -> Result {
        var row = Result(values: values)
        let result: BacktestResult
        do {
            result = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: parameters(values), series: series,
                                                          configuration: configuration, signalTape: tape)
        } catch {
            row.failure = error.message
            return row
        }
        let metrics = result.metrics
        row.roundTrips = metrics.trades.roundTrips
        row.openTrades = result.openTrips.count
        row.fills = metrics.fillCount
        row.finalEquity = metrics.finalEquity
        row.totalReturn = metrics.returns.totalReturn
        row.sharpe = metrics.returns.sharpe
        row.sortino = metrics.returns.sortino
        row.maxDrawdown = metrics.returns.maxDrawdown
        row.calmar = metrics.returns.calmar
        row.profitFactor = metrics.trades.profitFactor
        let returns = significanceBlocks > 0 ? result.equity.periodReturns(initial: metrics.initialEquity) : []
        if significanceBlocks > 0 && returns.count >= significanceBlocks {
            row.blockMoments = ReturnMoments.blocks(of: returns, count: significanceBlocks)
        }
        return row
    }

    /// One tape per distinct signal-engine setting among the combinations (none for strategies
    /// without one), recorded in parallel.
    func signalTapes(for combinations: [[String: String]]) -> [SignalTape?] {
        var settings: [SignalEngine.Settings] = []
        var owner: [Int?] = []
        for values in combinations {
            guard let engine = try? StrategyRegistry.shared.signalEngineSettings(strategy: strategy, parameters: parameters(values)) else {
                owner.append(nil)
                continue
            }
            if let found = settings.firstIndex(of: engine) {
                owner.append(found)
            } else {
                settings.append(engine)
                owner.append(settings.count - 1)
            }
        }
        guard !settings.isEmpty else { return Array(repeating: nil, count: combinations.count) }
        var tapes = [SignalTape?](repeating: nil, count: settings.count)
        tapes.withUnsafeMutableBufferPointer { slots in
            let output = UnsafeMutableSendableBuffer(slots)
            let series = self.series
            let all = settings
            DispatchQueue.concurrentPerform(iterations: all.count) { index in
                output.buffer[index] = SignalTape(series: series, settings: all[index])
            }
        }
        return owner.map { $0.map { tapes[$0] } ?? nil }
    }

    /// Best first by the objective (failed and unusable rows last), ties by parameter text.
    public static func ranked(_ results: [Result], by objective: SMACrossSweep.Objective) -> [Result] {
        results.sorted {
            let a = $0.value(of: objective), b = $1.value(of: objective)
            if a.isFinite != b.isFinite { return a.isFinite }
            if a.isFinite && a != b { return a > b }
            return $0.text < $1.text
        }
    }

    /// Runs `search` over `candidates`: the grid, a seeded sample, or successive halving on
    /// growing prefixes of the bars (no rung sees later data).
    public func run(_ search: SweepSearch, candidates: [[String: String]], objective: SMACrossSweep.Objective,
                    threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Int) -> Void)? = nil)
        -> (results: [Result], rungs: [SweepSearch.Rung])
    {
        switch search {
        case .grid:
            return (run(candidates, threads: threads, progress: progress), [])
        case .random(let count, let seed):
            return (run(SweepSearch.sample(candidates, count: count, seed: seed), threads: threads, progress: progress), [])
        case .halving(let eta, let rungCount):
            var survivors = candidates
            var rungs: [SweepSearch.Rung] = []
            let total = series.map(\.count).max() ?? 0
            for rung in 0..<rungCount {
                var power = 1
                for _ in 0..<(rungCount - 1 - rung) { power *= eta }
                let bars = rung == rungCount - 1 ? total : min(total, max(total / power, 2))
                let results = (bars == total ? self : prefix(bars)).run(survivors, threads: threads, progress: progress)
                rungs.append(SweepSearch.Rung(bars: bars, candidates: survivors.count))
                if rung == rungCount - 1 { return (results, rungs) }
                let keep = max(1, (survivors.count + eta - 1) / eta)
                survivors = Self.ranked(results, by: objective).prefix(keep).map(\.values)
            }
            return ([], rungs)
        }
    }
}
