import PeregrineModels

/// How much to believe the best result of a search over parameters: the deflated Sharpe ratio of
/// the chosen combination given how many were tried and how much their Sharpes varied, and the
/// probability of backtest overfitting by combinatorially symmetric cross-validation over every
/// combination's per-period returns. Sharpe ratios are per period (per bar), not annualised.
public struct SweepSignificance: Sendable {
    /// Blocks of bars (S) the returns are cut into for cross-validation: C(16, 8) = 12,870 splits,
    /// of which `maximumSplits` are taken.
    public static let defaultBlocks = 16
    public static let defaultMaximumSplits = 1000

    /// Combinations tried (every rung of a successive-halving search counts).
    public var trials: Int
    /// The chosen combination's deflated Sharpe; nil when no combination's returns were summarized.
    public var deflated: DeflatedSharpeRatio?
    /// The chosen combination's probabilistic Sharpe against zero, ignoring the search.
    public var probabilistic: ProbabilisticSharpeRatio?
    /// Nil with fewer than two combinations with summarized returns.
    public var overfitting: BacktestOverfitting?

    /// - Parameters:
    ///   - results: the combinations run on all the data, each with its block moments.
    ///   - chosen: the combination the search picked (the first of the ranking).
    ///   - trials: combinations tried, when more than `results` (a search that dropped some on the way).
    public init(results: [StrategySweep.Result], chosen: StrategySweep.Result?, trials: Int? = nil,
                maximumSplits: Int = defaultMaximumSplits, seed: UInt64 = 0) {
        self.init(blockMoments: results.filter { $0.failure == nil }.map(\.blockMoments), chosen: chosen?.blockMoments ?? [],
                  trials: trials ?? results.count, maximumSplits: maximumSplits, seed: seed)
    }

    /// The same from each trial's block moments and the chosen trial's.
    public init(blockMoments: [[ReturnMoments]], chosen: [ReturnMoments], trials: Int,
                maximumSplits: Int = defaultMaximumSplits, seed: UInt64 = 0) {
        let summarized = blockMoments.filter { !$0.isEmpty }
        self.trials = max(trials, summarized.count)
        let totals = summarized.map { $0.reduce(ReturnMoments(), +) }
        if !chosen.isEmpty {
            let best = chosen.reduce(ReturnMoments(), +)
            deflated = DeflatedSharpeRatio(best: best, trialCount: self.trials,
                                           sharpeVariance: DeflatedSharpeRatio.sampleVariance(totals.map(\.sharpePerPeriod)))
            probabilistic = ProbabilisticSharpeRatio(best)
        }
        overfitting = try? BacktestOverfitting(blockMoments: summarized, maximumSplits: maximumSplits, seed: seed)
    }
}
