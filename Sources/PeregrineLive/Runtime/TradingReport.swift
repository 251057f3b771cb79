import PeregrineCore
import PeregrineEngine

/// How a trading run went: what it saw, sent and got back, and why it stopped.
public struct TradingReport: Sendable {
    public var runID: Int64?
    public var warmUpBars = 0
    public var liveBars = 0
    public var ordersSent = 0
    public var brokerRejections = 0
    /// Fills booked during the run (the kernel's), in order.
    public var fills: [Fill] = []
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
