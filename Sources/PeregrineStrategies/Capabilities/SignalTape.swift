import PeregrineCore
import PeregrineModels

/// The signal engine's output over fixed history, bar by bar, recorded once. The signal engine
/// (forecasts, regimes, the game) reads only the bars, so a signaling-game backtest that differs
/// only in thresholds or sizing can replay the tape instead of refitting every model on every
/// bar: threshold tuning runs hundreds of backtests on one tape. A strategy uses a tape only when
/// it was recorded with the same engine settings.
public final class SignalTape: Sendable {
    public let settings: SignalEngine.Settings
    /// Per instrument, the signal after each of its bars in order (nil while the engine warms up).
    let signals: [[TradeSignal?]]

    public init(series: [BarSeries], settings: SignalEngine.Settings) {
        self.settings = settings
        signals = series.map { series in
            var engine = SignalEngine(settings: settings)
            return (0..<series.count).map { engine.update(series[$0]) }
        }
    }

    /// The signal after the `index`-th bar (from 0) of `instrument`.
    func signal(instrument: Int, index: Int) -> TradeSignal? {
        guard instrument < signals.count, index < signals[instrument].count else {
            preconditionFailure("signal tape has no bar \(index) of instrument \(instrument); it was recorded on other data")
        }
        return signals[instrument][index]
    }
}
