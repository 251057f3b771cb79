import Synchronization
import PeregrineCore
import PeregrineEngine
import PeregrineModels
import PeregrineStrategies

/// Tunes some of a catalog strategy's numeric parameters with `MetropolisTuner`, scoring each
/// proposal by a backtest on the tuning bars, and then trades the untouched holdout bars (warmed on
/// everything before them) with the base, the best and the posterior-median parameters, so the
/// tuned values meet data they were not chosen on. A signaling-game strategy's signals are recorded
/// once on all the bars (the engine is causal, so the tuning bars' signals are the tape's prefix)
/// and every backtest replays them.
public struct StrategyTuning: Sendable {
    public struct Tuned: Sendable {
        public var parameter: MetropolisTuner.Parameter
        /// Rounded to a whole number before the strategy sees it.
        public var integer: Bool

        public init(_ parameter: MetropolisTuner.Parameter, integer: Bool = false) {
            self.parameter = parameter
            self.integer = integer
        }

        /// The middle of the range: where a chain starts when no value is given.
        public var middle: Double { (parameter.range.lowerBound + parameter.range.upperBound) / 2 }

        /// `value` as the strategy is given it: a whole number when `integer` (a value too large for
        /// one stays as it is, for the strategy's own check to refuse).
        public func text(_ value: Double) -> String {
            guard integer, let whole = Int(exactly: value.rounded()) else { return String(value) }
            return String(whole)
        }
    }

    /// One parameter set scored on the tuning bars and on the holdout.
    public struct Evaluation: Sendable {
        public var label: String
        public var parameters: StrategyParameters
        public var tuningObjective: Double
        public var holdout: BacktestResult?
        public var holdoutObjective: Double
    }

    public struct Report: Sendable {
        public var chains: MetropolisTuner.Result
        /// base (the parameters as given), best (highest objective visited), median (posterior medians).
        public var evaluations: [Evaluation]
        /// Bar times (all instruments together) before and in the holdout.
        public var tuningBars: Int
        public var holdoutBars: Int
        public var replayedSignals: Bool
        /// The best visited set's deflated Sharpe on the tuning bars among every distinct set the
        /// chains tried, and their probability of backtest overfitting.
        public var significance: SweepSignificance
    }

    public let strategy: String
    public let base: StrategyParameters
    public let tuned: [Tuned]
    public let objective: SMACrossSweep.Objective
    public let series: [BarSeries]
    public let configuration: BacktestConfiguration
    /// Share of the bars (at the end) kept out of the tuning.
    public let holdout: Double

    public init(strategy: String, base: StrategyParameters, tuned: [Tuned], objective: SMACrossSweep.Objective, series: [BarSeries],
                configuration: BacktestConfiguration, holdout: Double) {
        precondition(!tuned.isEmpty && !series.isEmpty && holdout >= 0 && holdout < 1)
        self.strategy = strategy
        self.base = base
        self.tuned = tuned
        self.objective = objective
        self.series = series
        self.configuration = configuration
        self.holdout = holdout
    }

    /// The base parameters with the tuned ones set to `values`.
    public func parameters(_ values: [Double]) -> StrategyParameters {
        var merged = base.values
        for (spec, value) in zip(tuned, values) { merged[spec.parameter.name] = spec.text(value) }
        return StrategyParameters(merged)
    }

    /// Runs the chains (started at the base values, see below) and scores base, best and median. A
    /// tuned parameter the strategy requires and the base lacks takes the middle of its range there.
    public func run(settings: MetropolisTuner.Settings) throws(ConfigurationError) -> Report {
        // The holdout is the last share of the bar times (all instruments together), cut at a time,
        // so instruments with other calendars split at the same moment.
        let times = series.mergedTimestamps
        let holdoutBars = Int(Double(times.count) * holdout)
        let tuningBars = times.count - holdoutBars
        guard tuningBars >= 50 else { throw ConfigurationError("tuning needs at least 50 bar times before the holdout, has \(tuningBars)") }
        let cut = holdoutBars > 0 ? times[tuningBars] : Int64.max
        let tuningSeries = series.map { item in item.slice(0..<(item.timestamps.firstIndex { $0 >= cut } ?? item.count)) }
        let base = try completedBase()
        let tape = try StrategyRegistry.shared.signalTape(strategy: strategy, parameters: base, series: series)
        // Refuse bad parameters (an unknown name, a value outside its range) before the chains start.
        let centre = tuned.map(\.middle)
        _ = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: parameters(centre), series: tuningSeries,
                                         configuration: configuration, signalTape: tape)
        // The chains start from the base values where the base gives them (so the best visited is at
        // least as good as the base), elsewhere from the centre of the range.
        var settings = settings
        if settings.start == nil {
            settings.start = zip(tuned, centre).map { spec, middle in
                base.values[spec.parameter.name].flatMap(Double.init).flatMap { spec.parameter.range.contains($0) ? $0 : nil } ?? middle
            }
        }
        let strategy = self.strategy, configuration = self.configuration, objective = self.objective, tuning = self
        // Every distinct parameter set tried, with its tuning returns in blocks: the trials the best was chosen from.
        let visited = Mutex<[String: [ReturnMoments]]>([:])
        let chains = MetropolisTuner(parameters: tuned.map(\.parameter), settings: settings).run { values in
            let candidate = tuning.parameters(values)
            guard let result = try? StrategyRegistry.shared.backtest(strategy: strategy, parameters: candidate, series: tuningSeries,
                                                             configuration: configuration, signalTape: tape) else { return .nan }
            let returns = result.equity.periodReturns(initial: result.metrics.initialEquity)
            if returns.count >= SweepSignificance.defaultBlocks {
                let blocks = ReturnMoments.blocks(of: returns, count: SweepSignificance.defaultBlocks)
                visited.withLock { $0[candidate.text] = blocks }
            }
            return objective.value(of: result)
        }
        let trials = visited.withLock { $0 }
        let keys = trials.keys.sorted()
        let significance = SweepSignificance(blockMoments: keys.map { trials[$0]! }, chosen: trials[parameters(chains.best.values).text] ?? [],
                                             trials: keys.count, maximumSplits: SweepSignificance.defaultMaximumSplits, seed: settings.seed)
        let candidates: [(String, StrategyParameters)] = [
            ("base", base), ("best", parameters(chains.best.values)), ("median", parameters(chains.marginals.map(\.median))),
        ]
        var evaluations: [Evaluation] = []
        for (label, candidate) in candidates {
            let inSample = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: candidate, series: tuningSeries,
                                                        configuration: configuration, signalTape: tape)
            var held: BacktestResult?
            if holdoutBars > 0 {
                var outOfSample = configuration
                // Trading starts at the cut, or later when the configured warm-up reaches past it.
                outOfSample.tradingStart = Timestamp(nanoseconds: max(cut, configuration.tradingStart?.nanoseconds ?? cut))
                let full = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: candidate, series: series, configuration: outOfSample,
                                                        signalTape: tape)
                held = full.trimmed(from: full.equity.firstIndex { $0.timestamp.nanoseconds >= cut } ?? full.equity.count)
            }
            evaluations.append(Evaluation(label: label, parameters: candidate, tuningObjective: objective.value(of: inSample), holdout: held,
                                          holdoutObjective: held.map { objective.value(of: $0) } ?? .nan))
        }
        return Report(chains: chains, evaluations: evaluations, tuningBars: tuningBars, holdoutBars: holdoutBars, replayedSignals: tape != nil,
                      significance: significance)
    }

    /// The base parameters with each tuned one the strategy cannot run without (a rule's `$name`),
    /// when not given, at the middle of its range.
    private func completedBase() throws(ConfigurationError) -> StrategyParameters {
        let declared = try StrategyRegistry.shared.parameters(strategy: strategy, given: base)
        var values = base.values
        for spec in tuned where values[spec.parameter.name] == nil
            && declared.contains(where: { $0.name == spec.parameter.name && $0.isRequired }) {
            values[spec.parameter.name] = spec.text(spec.middle)
        }
        return StrategyParameters(values)
    }
}
