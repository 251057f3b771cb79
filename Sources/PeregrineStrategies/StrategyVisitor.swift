import PeregrineEngine

/// Receives a strategy built by `StrategyCatalog.build` with its concrete type, so engines
/// generic over the strategy stay specialized.
public protocol StrategyVisitor {
    associatedtype Output
    func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> Output
}
