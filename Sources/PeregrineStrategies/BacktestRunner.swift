import PeregrineCore
import PeregrineEngine

/// Runs the strategy over fixed history.
struct BacktestRunner: StrategyVisitor {
    let series: [BarSeries]

    func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> BacktestResult {
        BacktestEngine(series: series, strategy: strategy, configuration: configuration).run()
    }
}
