/// How much of its past a live bot keeps in memory; its store keeps all of it. A backtest keeps
/// everything and never uses this. `window` bars of each instrument stay for the strategy to look
/// back over (the trading runtime makes it at least the warm-up), and as many of the latest
/// equity points, fills, closed trips and stored decisions.
public struct LiveRetention: Sendable, Equatable {
    public let window: Int

    public init(window: Int) { self.window = max(window, 1) }

    /// Records are trimmed only once this many past the window have piled up: each trim moves the
    /// window's values once, so trimming costs O(1) a bar on average.
    public var chunk: Int { max(window / 2, 64) }

    /// How many of `count` records to drop now: none below `window + chunk`, else all but the window.
    public func excess(_ count: Int) -> Int { count >= window + chunk ? count - window : 0 }
}
