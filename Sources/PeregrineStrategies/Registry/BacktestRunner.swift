import PeregrineCore
import PeregrineEngine

/// Runs the strategy over fixed history. With a signal tape recorded on the same history, a
/// strategy that replays tapes (`SignalTapeReplaying`) with the tape's engine settings replays it
/// instead of refitting.
struct BacktestRunner: StrategyVisitor {
    let series: [BarSeries]
    var signalTape: SignalTape?

    func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> BacktestResult {
        if let tape = signalTape, let replaying = strategy as? any SignalTapeReplaying, !replaying.replaysTape,
           replaying.signalEngineSettings == tape.settings {
            return run(replaying.replaying(tape), configuration: configuration)
        }
        return run(strategy, configuration: configuration)
    }

    private func run<T: Strategy>(_ strategy: T, configuration: BacktestConfiguration) -> BacktestResult {
        BacktestEngine(series: series, strategy: strategy, configuration: configuration).run()
    }
}
