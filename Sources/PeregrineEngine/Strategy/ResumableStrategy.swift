/// A strategy whose learning outlives a run (bandit posteriors): the trading runtime saves
/// `resumableState` in the store at shutdown and hands it back before the next start, so a restart
/// continues learning instead of starting over. JSON text, so the store can show it.
public protocol ResumableStrategy: Strategy {
    var resumableState: String { get throws }
    mutating func resume(from state: String) throws
}
