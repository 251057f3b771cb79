import PeregrineEngine

/// Receives a strategy built by `StrategyRegistry.shared.build` with its concrete type, so engines
/// generic over the strategy stay specialized.
public protocol StrategyVisitor {
    associatedtype Output
    func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> Output
}
