import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// Decides whether a sweep can take `SMACrossSweep`, the sma-cross fast path, and runs it with
/// rows in the general sweep's form. The fast path applies the kernel's rules for what it models:
/// one instrument, next-open fills, a fixed quantity, long only, a commission model and nothing
/// else (no slippage, volume cap, risk limits, exits, sizing, warm-up, schedule or risk-free rate).
/// Anything more runs in the kernel.
public struct SMACrossFastPath: Sendable {
    /// Why the fast path does not apply; nil when it does.
    public let refusal: String?
    let sweep: SMACrossSweep?
    /// The same sweep in the kernel, for the one combination whose skewness and kurtosis are wanted.
    let kernel: StrategySweep
    /// Blocks of bars each combination's returns are summarized in, for the significance tests; 0 for none.
    public var significanceBlocks = SweepSignificance.defaultBlocks

    public init(strategy: String, base: StrategyParameters, grid: StrategyGrid, series: [BarSeries], configuration: BacktestConfiguration) {
        func refuse(_ reason: String) -> (String?, SMACrossSweep?) { (reason, nil) }
        let decided: (String?, SMACrossSweep?) = {
            guard strategy == "sma-cross" else { return refuse("only sma-cross has a fast path") }
            guard series.count == 1 else { return refuse("the fast path runs one instrument") }
            guard Set(grid.axes.map(\.name)) == ["fast", "slow"],
                  grid.axes.allSatisfy({ $0.values.allSatisfy { Int($0) != nil } }) else {
                return refuse("the fast path sweeps whole-number fast and slow windows only")
            }
            guard Set(base.values.keys).isSubset(of: ["quantity"]) else {
                return refuse("the fast path takes a fixed quantity only, not \(base.values.keys.sorted().joined(separator: ", "))")
            }
            let c = configuration
            guard c.venue.fillTiming == .nextOpen, c.venue.slippage == .none, c.venue.maxVolumeShare == nil, c.venue.calendar == nil,
                  !c.allowShort, c.risk == nil, c.exits == nil, c.sizing == nil, c.tradingStart == nil, c.schedule == nil,
                  c.riskFreeRate == 0, c.corporateActions.isEmpty else {
                return refuse("the run options go beyond next-open fills and a commission model")
            }
            guard let quantity = Quantity(base.values["quantity"] ?? "100"), quantity.units > 0 else {
                return refuse("quantity must be positive")
            }
            let periods = c.periodsPerYear ?? BacktestConfiguration.inferredPeriodsPerYear(
                interval: series[0].typicalInterval, calendar: series[0].instrument.assetClass.defaultCalendar)
            return (nil, SMACrossSweep(series: series[0], quantity: quantity, initialCash: c.initialCash, commission: c.venue.commission,
                                       periodsPerYear: periods))
        }()
        refusal = decided.0
        sweep = decided.1
        kernel = StrategySweep(strategy: strategy, base: base, series: series, configuration: configuration)
    }

    /// Whether the fast path runs these values: sma-cross needs fast < slow; the rest come out as
    /// refused rows after every row it ran.
    static func runs(_ values: [String: String]) -> Bool {
        guard let fast = values["fast"].flatMap({ Int($0) }), let slow = values["slow"].flatMap({ Int($0) }) else { return false }
        return fast < slow
    }

    /// The combinations in the order `run` gives their rows for a one-pass search (grid or random):
    /// those it runs, as the search picks them, then the refused. Nil for successive halving.
    public func resultOrder(_ candidates: [[String: String]], search: SweepSearch) -> [[String: String]]? {
        search.onePassOrder(candidates.filter(Self.runs)).map { $0 + candidates.filter { !Self.runs($0) } }
    }

    /// Runs the search; rows as `StrategySweep` gives them. Unless `refiningChosen` is false, the row
    /// the sweep chooses carries its kernel moments (`chosenMoments`).
    public func run(_ search: SweepSearch, candidates: [[String: String]], objective: SMACrossSweep.Objective,
                    threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Int) -> Void)? = nil,
                    refiningChosen: Bool = true)
        -> (results: [StrategySweep.Result], rungs: [SweepSearch.Rung])
    {
        guard var sweep else { preconditionFailure("the fast path does not apply: \(refusal ?? "")") }
        sweep.significanceBlocks = significanceBlocks
        var combinations: [SMACrossSweep.Combination] = []
        var refused: [StrategySweep.Result] = []
        for values in candidates {
            if Self.runs(values), let fast = values["fast"].flatMap({ Int($0) }), let slow = values["slow"].flatMap({ Int($0) }) {
                combinations.append(SMACrossSweep.Combination(fast: fast, slow: slow))
            } else {
                var row = StrategySweep.Result(values: values)
                row.failure = "sma-cross needs fast < slow, got fast=\(values["fast"] ?? "") slow=\(values["slow"] ?? "")"
                refused.append(row)
            }
        }
        let outcome = search.run(sweep, candidates: combinations, objective: objective, threads: threads, progress: progress)
        var rows = outcome.results.map { r in
            var row = StrategySweep.Result(values: ["fast": String(r.combination.fast), "slow": String(r.combination.slow)])
            row.roundTrips = r.roundTrips
            row.openTrades = r.openTrades
            row.fills = r.fills
            row.finalEquity = r.finalEquity
            row.totalReturn = r.totalReturn
            row.sharpe = r.sharpe
            row.sortino = r.sortino
            row.maxDrawdown = r.maxDrawdown
            row.calmar = r.calmar
            row.profitFactor = r.profitFactor
            row.blockMoments = r.blockMoments
            return row
        }
        if refiningChosen, let chosen = chosenMoments(rows, objective: objective) { rows[chosen.index].blockMoments = chosen.moments }
        return (rows + refused, outcome.rungs)
    }

    /// The combination the sweep chooses among `rows` (the first by the objective) and its block
    /// moments from its backtest in the kernel, which the fast path equals: with skewness and
    /// kurtosis, where every other row carries only what the probability of overfitting needs.
    /// Every search's last results ran on all the bars. Nil without significance blocks.
    public func chosenMoments(_ rows: [StrategySweep.Result], objective: SMACrossSweep.Objective) -> (index: Int, moments: [ReturnMoments])? {
        guard significanceBlocks > 0, let chosen = StrategySweep.ranked(rows, by: objective).first, chosen.failure == nil,
              let index = rows.firstIndex(where: { $0.values == chosen.values }) else { return nil }
        var single = kernel
        single.significanceBlocks = significanceBlocks
        let full = single.evaluate(chosen.values)
        return full.failure == nil ? (index, full.blockMoments) : nil
    }
}
