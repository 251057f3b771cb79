import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels
import PeregrineStrategies

/// Walk-forward analysis of any registered strategy. Windows are counted in bars: each in-sample
/// window (rolling, or anchored at the start) is optimized over the grid (`StrategySweep`, or the
/// sma-cross fast path where it applies, with the run's own options); the best parameters then
/// trade the following out-of-sample window in the event-driven kernel, warmed on the in-sample
/// bars before it but trading only inside it. Each out-of-sample window starts flat
/// with the previous window's final equity (an open position is valued at the window's last close),
/// and the out-of-sample equity is stitched into one curve. With a holdout, the last share of the
/// bars is left out of every window and traded once at the end with parameters optimized on all
/// the bars before it.
public struct WalkForwardAnalysis: Sendable {
    public struct Settings: Sendable {
        public var inSample: Int
        public var outOfSample: Int
        /// Bars between window starts; the out-of-sample length by default.
        public var step: Int?
        public var anchored = false
        /// Share of the bars kept unseen for the final run (0 for none).
        public var holdout = 0.0
        public var objective = SMACrossSweep.Objective.sharpe
        public var initialCash = Money(1_000_000)
        public var strategy = "sma-cross"
        /// Parameters every window shares; the grid's values override them.
        public var base = StrategyParameters(["quantity": "100"])
        /// The run options (costs, fills, risk, exits, sizing); cash and the trading start are set per window.
        public var configuration = BacktestConfiguration()
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        /// Cross-validation splits per window for the in-sample probability of overfitting.
        public var significanceSplits = 200

        public init(inSample: Int, outOfSample: Int) {
            self.inSample = inSample
            self.outOfSample = outOfSample
        }
    }

    public struct Window: Sendable {
        public var inSampleBars: Range<Int>
        public var outOfSampleBars: Range<Int>
        public var parameters: [String: String]
        public var inSampleObjective: Double
        public var inSampleAnnualReturn: Double
        public var inSampleSharpe: Double
        /// How much to believe the in-sample choice: its deflated Sharpe among the grid and the
        /// grid's probability of overfitting on the in-sample bars.
        public var selection: SweepSignificance
        /// The out-of-sample trading, its equity and statistics trimmed to the window.
        public var result: BacktestResult
    }

    public struct Report: Sendable {
        public var windows: [Window]
        /// Stitched out-of-sample equity: (timestamp, equity) per bar.
        public var equity: [(Int64, Money)]
        public var statistics: ReturnStatistics
        public var roundTrips: Int
        public var winRate: Double
        /// Walk-forward efficiency: the stitched out-of-sample annualized return over the mean
        /// in-sample annualized return of the chosen parameters.
        public var efficiency: Double
        /// Coefficient of variation of each numeric parameter's chosen values across windows.
        public var stability: [String: Double]
        public var meanInSampleSharpe: Double
        public var holdout: Window?
        /// The stitched out-of-sample returns' Sharpe per bar deflated for the choice each window made
        /// among the grid's combinations (with the mean in-sample variance of their Sharpes); this is
        /// conservative, since the out-of-sample bars took no part in the choice.
        public var deflated: DeflatedSharpeRatio?
        /// The windows' mean in-sample probability of backtest overfitting.
        public var meanProbabilityOfOverfitting: Double?
        public var verdict: ValidationGate.Verdict
    }

    /// One instrument, or several traded as one portfolio.
    public let series: [BarSeries]
    /// The time steps of all instruments merged: windows count these, so a portfolio's windows
    /// cover the same dates for every instrument.
    public let timeline: [Int64]
    public let grid: [[String: String]]
    public let settings: Settings
    public let periodsPerYear: Double

    public init(series: [BarSeries], grid: [[String: String]], settings: Settings, periodsPerYear: Double) {
        precondition(settings.inSample > 0 && settings.outOfSample > 0 && !grid.isEmpty && !series.isEmpty)
        self.series = series
        self.timeline = series.mergedTimestamps
        self.grid = grid
        self.settings = settings
        self.periodsPerYear = periodsPerYear
    }

    public init(series: BarSeries, grid: [[String: String]], settings: Settings, periodsPerYear: Double) {
        self.init(series: [series], grid: grid, settings: settings, periodsPerYear: periodsPerYear)
    }

    /// Every instrument's bars within time steps `range` of the timeline (possibly none for one that
    /// had not started trading yet).
    public func slices(_ range: Range<Int>) -> [BarSeries] { series.slices(timeline: timeline, range) }

    public enum Failure: Error, CustomStringConvertible {
        case tooShort(bars: Int, needed: Int)
        /// No combination of the grid could run (each refused by the strategy, e.g. fast >= slow).
        case noCombinationRuns(String)
        public var description: String {
            switch self {
            case .tooShort(let bars, let needed): return "walk-forward needs at least \(needed) bars before the holdout, has \(bars)"
            case .noCombinationRuns(let reason): return "no combination of the grid runs: \(reason)"
            }
        }
    }

    public func run(gate: ValidationGate = ValidationGate()) throws(Failure) -> Report {
        let total = timeline.count
        let holdoutBars = Int(Double(total) * settings.holdout)
        let usable = total - holdoutBars
        let needed = settings.inSample + settings.outOfSample
        guard usable >= needed else { throw .tooShort(bars: usable, needed: needed) }
        let step = settings.step ?? settings.outOfSample
        var windows: [Window] = []
        var cash = settings.initialCash
        var start = 0
        // The last out-of-sample window may be shorter, so no bar before the holdout goes unused.
        while start + settings.inSample < usable {
            let inSample = (settings.anchored ? 0 : start)..<(start + settings.inSample)
            let outOfSample = inSample.upperBound..<min(inSample.upperBound + settings.outOfSample, usable)
            let window = try evaluate(inSample: inSample, outOfSample: outOfSample, cash: cash)
            cash = window.result.finalEquity
            windows.append(window)
            start += step
        }
        var holdout: Window?
        if holdoutBars > 0 {
            holdout = try evaluate(inSample: 0..<usable, outOfSample: usable..<total, cash: cash)
        }
        var equity: [(Int64, Money)] = []
        var trips = 0
        var wins = 0
        for window in windows {
            for point in window.result.equity { equity.append((point.timestamp.nanoseconds, point.equity)) }
            trips += window.result.roundTrips.count
            wins += window.result.roundTrips.filter { $0.netPnL > .zero }.count
        }
        var previous = settings.initialCash.doubleValue
        var returns: [Double] = []
        for (_, value) in equity {
            returns.append(value.doubleValue / previous - 1)
            previous = value.doubleValue
        }
        let statistics = ReturnStatistics(returns: returns, periodsPerYear: periodsPerYear)
        let inSampleAnnual = windows.map(\.inSampleAnnualReturn).filter(\.isFinite)
        let meanInSampleAnnual = inSampleAnnual.isEmpty ? .nan : inSampleAnnual.reduce(0, +) / Double(inSampleAnnual.count)
        func variation(_ values: [Double]) -> Double {
            guard values.count > 1 else { return 0 }
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
            return mean != 0 ? sd / mean : .nan
        }
        let inSampleSharpes = windows.map(\.inSampleSharpe).filter(\.isFinite)
        let meanInSample = inSampleSharpes.isEmpty ? .nan : inSampleSharpes.reduce(0, +) / Double(inSampleSharpes.count)
        let winRate = trips > 0 ? Double(wins) / Double(trips) : .nan
        let variances = windows.compactMap { $0.selection.deflated?.sharpeVariance }
        let deflated = variances.isEmpty || returns.count < 2 ? nil
            : DeflatedSharpeRatio(best: ReturnMoments(returns), trialCount: grid.count,
                                  sharpeVariance: variances.reduce(0, +) / Double(variances.count))
        let overfitting = windows.compactMap { $0.selection.overfitting?.probability }
        return Report(
            windows: windows, equity: equity, statistics: statistics, roundTrips: trips, winRate: winRate,
            efficiency: meanInSampleAnnual != 0 ? statistics.annualReturn / meanInSampleAnnual : .nan,
            stability: stability(windows, variation: variation),
            meanInSampleSharpe: meanInSample, holdout: holdout, deflated: deflated,
            meanProbabilityOfOverfitting: overfitting.isEmpty ? nil : overfitting.reduce(0, +) / Double(overfitting.count),
            verdict: gate.judge(trades: trips, winRate: winRate, sharpe: statistics.sharpe, maxDrawdown: statistics.maxDrawdown,
                                inSampleSharpe: meanInSample, deflated: deflated))
    }

    /// The coefficient of variation of each parameter whose chosen values are all numbers.
    private func stability(_ windows: [Window], variation: ([Double]) -> Double) -> [String: Double] {
        var result: [String: Double] = [:]
        for name in Set(grid.flatMap(\.keys)) {
            let values = windows.compactMap { $0.parameters[name].flatMap(Double.init) }
            if values.count == windows.count { result[name] = variation(values) }
        }
        return result
    }

    /// Optimizes on `inSample`, then trades `outOfSample` starting flat with `cash`.
    func evaluate(inSample: Range<Int>, outOfSample: Range<Int>, cash: Money) throws(Failure) -> Window {
        var configuration = settings.configuration
        configuration.initialCash = settings.initialCash
        configuration.periodsPerYear = periodsPerYear
        let window = slices(inSample)
        let axes = Set(grid.flatMap(\.keys)).sorted().map { name in StrategyGrid.Axis(name: name, values: grid.compactMap { $0[name] }) }
        let fastPath = SMACrossFastPath(strategy: settings.strategy, base: settings.base, grid: StrategyGrid(parsedAxes: axes),
                                        series: window, configuration: configuration)
        let results = fastPath.refusal == nil
            ? fastPath.run(.grid, candidates: grid, objective: settings.objective, threads: settings.threads).results
            : StrategySweep(strategy: settings.strategy, base: settings.base, series: window, configuration: configuration)
                .run(grid, threads: settings.threads)
        let objective = settings.objective
        let best = StrategySweep.ranked(results, by: objective)[0]
        if let failure = best.failure { throw .noCombinationRuns(failure) }
        // Warmed on the in-sample bars, trading from the first out-of-sample bar.
        let from = inSample.lowerBound
        configuration.initialCash = cash
        configuration.tradingStart = Timestamp(nanoseconds: timeline[outOfSample.lowerBound])
        let parameters = StrategyParameters(settings.base.values.merging(best.values) { $1 })
        let full: BacktestResult
        do {
            full = try StrategyRegistry.shared.backtest(strategy: settings.strategy, parameters: parameters,
                                                        series: slices(from..<outOfSample.upperBound), configuration: configuration)
        } catch {
            throw .noCombinationRuns(error.message)
        }
        let inSampleReturn = best.totalReturn
        let years = Double(inSample.count) / periodsPerYear
        let annual = inSampleReturn > -1 ? Foundationless.pow(1 + inSampleReturn, 1 / years) - 1 : .nan
        return Window(inSampleBars: inSample, outOfSampleBars: outOfSample, parameters: best.values,
                      inSampleObjective: best.value(of: objective), inSampleAnnualReturn: annual, inSampleSharpe: best.sharpe,
                      selection: SweepSignificance(results: results, chosen: best, maximumSplits: settings.significanceSplits),
                      result: full.trimmed(from: outOfSample.lowerBound - from))
    }
}

extension WalkForwardAnalysis.Report {
    /// The out-of-sample windows as one run, for a tearsheet: the stitched equity, every window's
    /// orders, fills, round trips and decisions in order, and metrics computed over the whole
    /// stitched curve from the starting capital. The account is the last window's (its cash and
    /// position at the end); `bars` counts the out-of-sample bars. Nil without windows.
    public func stitchedResult(initialCash: Money) -> BacktestResult? {
        guard var stitched = windows.last?.result else { return nil }
        let curve = EquityCurve(capacity: equity.count)
        for (time, value) in equity { curve.record(value, at: time) }
        var exposed = 0
        var notional = Money.zero
        stitched.orders = []
        stitched.fills = []
        stitched.roundTrips = []
        stitched.decisions = []
        stitched.decisionCounts = [:]
        for window in windows {
            let result = window.result
            stitched.orders += result.orders
            stitched.fills += result.fills
            stitched.roundTrips += result.roundTrips
            stitched.decisions += result.decisions
            stitched.decisionCounts.merge(result.decisionCounts, uniquingKeysWith: +)
            exposed += Int((result.metrics.exposure * Double(result.equity.count)).rounded())
            notional += result.account.tradedNotional
        }
        stitched.bars = curve.count
        stitched.equity = curve
        stitched.metrics = PerformanceMetrics(initialEquity: initialCash, equity: curve, trips: stitched.roundTrips,
                                              fillCount: stitched.fills.count, tradedNotional: notional, exposedPeriods: exposed,
                                              periodsPerYear: stitched.periodsPerYear, riskFreeRate: 0)
        return stitched
    }
}

extension BacktestResult {
    /// The same result seen from bar `index` on: the equity curve and statistics of the traded
    /// part only (warm-up bars had no trades and flat equity).
    func trimmed(from index: Int) -> BacktestResult {
        guard index > 0 else { return self }
        var copy = self
        let points = Array(equity.dropFirst(index))
        let curve = EquityCurve(capacity: points.count)
        for point in points { curve.record(point.equity, at: point.timestamp.nanoseconds) }
        copy.equity = curve
        // Warm-up bars never hold a position, so the exposed periods are the same count.
        let exposed = Int((metrics.exposure * Double(equity.count)).rounded())
        copy.metrics = PerformanceMetrics(initialEquity: metrics.initialEquity, equity: curve, trips: roundTrips,
                                          fillCount: fills.count, tradedNotional: account.tradedNotional,
                                          exposedPeriods: exposed, periodsPerYear: periodsPerYear, riskFreeRate: 0)
        return copy
    }
}
