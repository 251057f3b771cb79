import PeregrineCore

/// Which rows of a listing to read: filters that all must hold, newest first, a page at a time. A page
/// continues below `before` (a row id) so rows appended while a client pages do not shift its pages.
public struct RecordQuery: Equatable, Sendable {
    /// Rows of runs with this strategy (a bot's name), or decided by this sleeve.
    public var bot: String?
    public var runID: Int64?
    public var symbol: String?
    public var from: Timestamp?
    public var to: Timestamp?
    /// Decisions: the signal's action, the outcome and the reason code.
    public var action: String?
    public var outcome: String?
    public var reason: String?
    /// Orders: the intent's state or the broker's status.
    public var status: String?
    /// Leave out backtests (decisions, orders and fills of trading runs only).
    public var tradingOnly = false
    public var limit = 100
    public var before: Int64?
    /// Only rows after this id (what a reader that already holds the earlier rows asks for).
    public var after: Int64?

    public init() {}
}
