/// How much of its past a live bot keeps in memory; its store keeps all of it. A backtest keeps
/// everything and never uses this. `window` bars of each instrument stay for the strategy to look
/// back over (the trading runtime makes it at least the warm-up), and as many of the latest equity
/// points. Records, which the strategy never reads back (fills, closed trips, stored decisions,
/// settled orders), have their own, smaller bound `records`: a bot trading a few times a day would
/// otherwise never reach a window of bars and grow by every trade.
public struct LiveRetention: Sendable, Equatable {
    public let window: Int
    public let records: Int

    public init(window: Int, records: Int = LiveRetention.defaultRecords) {
        self.window = max(window, 1)
        self.records = max(records, 1)
    }

    /// Records kept unless a configuration says otherwise (`history_records`).
    public static let defaultRecords = 250

    /// Bars and equity points are trimmed only once this many past the window have piled up: each
    /// trim moves the window's values once, so trimming costs O(1) a bar on average.
    public var chunk: Int { max(window / 2, 64) }

    /// How many of `count` bars or equity points to drop now: none below `window + chunk`, else all but the window.
    public func excess(_ count: Int) -> Int { count >= window + chunk ? count - window : 0 }

    /// How many of `count` records to drop now: none below `records + recordChunk`, else all but `records`.
    public func excessRecords(_ count: Int) -> Int { count >= records + recordChunk ? count - records : 0 }

    /// Records are fewer and larger than bars: a smaller least chunk.
    public var recordChunk: Int { max(records / 2, 16) }
}
