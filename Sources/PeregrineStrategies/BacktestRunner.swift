import PeregrineCore
import PeregrineEngine

/// Runs the strategy over fixed history. With a signal tape recorded on the same history, a
/// signaling-game strategy with the tape's engine settings replays it instead of refitting.
struct BacktestRunner: StrategyVisitor {
    let series: [BarSeries]
    var signalTape: SignalTape?

    func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> BacktestResult {
        if let tape = signalTape, let game = strategy as? SignalingGameStrategy, game.tape == nil, game.settings.engine == tape.settings {
            let taped = SignalingGameStrategy(settings: game.settings, tape: tape)
            return BacktestEngine(series: series, strategy: taped, configuration: configuration).run()
        }
        return BacktestEngine(series: series, strategy: strategy, configuration: configuration).run()
    }
}
