import PeregrineCore
import PeregrineRisk

/// What a multi-strategy run produced: each sleeve's own books, orders, fills and trips (its equity
/// curve includes the capital moved in and out), the account's equity, every rebalance, and the
/// time-weighted statistics of the portfolio and of each sleeve.
public struct MultiStrategyResult: Sendable {
    public var names: [String]
    public var sleeves: [BacktestResult]
    public var equity: EquityCurve
    public var rebalances: [CapitalRebalance]
    public var statistics: ReturnStatistics
    /// Each sleeve's returns with the capital moves taken out.
    public var sleeveStatistics: [ReturnStatistics]
    /// Each sleeve's per-step returns with the capital moves taken out (what the allocator learned from).
    public var sleeveReturns: [[Double]]
    /// The meta-controller as it ends (nil for static weights): saved, the next run continues from it.
    public var allocator: ThompsonAllocator?

    public var initialEquity: Money { sleeves.reduce(.zero) { $0 + $1.account.initialCash } }
    public var finalEquity: Money { equity.last?.equity ?? initialEquity }
}
