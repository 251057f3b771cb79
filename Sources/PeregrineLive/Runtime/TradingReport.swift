import PeregrineCore
import PeregrineEngine

/// How a trading run went: what it saw, sent and got back, and why it stopped.
public struct TradingReport: Sendable {
    public var runID: Int64?
    public var warmUpBars = 0
    public var liveBars = 0
    public var ordersSent = 0
    public var brokerRejections = 0
    /// The latest fills booked during the run (the kernel's), in order: all of them unless the run
    /// booked more than its record bound (`history_records`); the store has every one.
    public var fills: [Fill] = []
    /// Every fill booked during the run.
    public var fillCount = 0
    /// Orders the broker book held in memory at the end, and every order it took (ids from zero):
    /// past the record bound the settled ones are let go.
    public var ordersInMemory = 0
    public var orderCount = 0
    /// The account's equity from the end of the warm-up to the end of the run, point by point.
    public var equitySummary: EquitySummary?
    /// Equity by the run's own books at the latest marks.
    public var equity: Money = .zero
    /// Equity the broker reports at the end.
    public var brokerEquity: Money?
    public var decisionCounts: [String: Int] = [:]
    public var reconciliation: ReconciliationReport?
    public var stopReason = ""
    /// Trading-stream connections made and lost (zero without the stream).
    public var streamConnections = 0
    public var streamDrops = 0
    /// Bars of the bot's symbols heard on the market-data stream (zero without it).
    public var streamBars = 0
    /// Orders canceled at shutdown.
    public var canceledAtStop = 0
}
