import PeregrineEngine

/// A strategy that enters only when its signal's probability of profit clears a threshold
/// parameter, and sizes its brackets with a take-profit and a stop-loss parameter. The trading
/// runtime's `adapt_thresholds` moves that threshold toward what the deployment's own closed trades
/// support (`SignalThresholdAdaptation`).
public protocol ProbabilityThresholdAdapting: DeclaredStrategy {
    /// The parameter holding the threshold, e.g. `min_prob_up`.
    static var probabilityThresholdParameter: String { get }
    static var takeProfitParameter: String { get }
    static var stopLossParameter: String { get }
}
