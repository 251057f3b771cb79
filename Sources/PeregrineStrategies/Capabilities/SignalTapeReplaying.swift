import PeregrineEngine
import PeregrineModels

/// A strategy driven by the signal engine, whose signals depend only on the bars and the engine's
/// settings: research tools record a `SignalTape` once and hand it to every run that shares those
/// settings, so runs that differ in thresholds or sizing cost a pass of the books, not a refit.
public protocol SignalTapeReplaying: Strategy {
    /// The engine settings its signals come from; a tape is used only when recorded with these.
    var signalEngineSettings: SignalEngine.Settings { get }
    /// Whether it already replays a tape.
    var replaysTape: Bool { get }
    /// The same strategy reading its signals from `tape`.
    func replaying(_ tape: SignalTape) -> Self
}
