import PeregrineStorage

/// A stored run: a backtest, a sweep or a trading run, with its counts and how it ended.
public struct RunView: Codable, Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var strategy: String
    public var parameters: String
    public var started: String
    public var bars: Int
    public var initialEquity: String
    public var finalEquity: String?
    public var decisions: Int
    public var orders: Int
    public var fills: Int
    /// Whether `runs/{id}/report` has a tearsheet for it.
    public var hasReport: Bool

    public init(_ run: RunSummary, hasReport: Bool) {
        id = run.id
        kind = run.kind
        strategy = run.strategy
        parameters = run.parameters
        started = run.started.iso8601
        bars = run.bars
        initialEquity = run.initialEquity.description
        finalEquity = run.finalEquity?.description
        decisions = run.decisions
        orders = run.orders
        fills = run.fills
        self.hasReport = hasReport
    }
}
