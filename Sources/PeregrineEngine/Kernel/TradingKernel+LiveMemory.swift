import PeregrineCore

/// Live trading keeps a bounded past: a bot running for months must not grow with every bar, and
/// its store holds everything it handled. A backtest never calls these, and keeps every bar.
extension TradingKernel {
    /// The equity after each close step (all of it in a backtest; a live bot's recent window).
    public var equityCurve: EquityCurve { equity }

    /// Past `retention`'s window, forgets the oldest bars of each instrument and equity points (folded
    /// into `summary` first, when given, so the run's figures stay whole); past its record bound, the
    /// oldest fills and closed trips. What the
    /// strategy reads is unchanged but for the bars dropped: `history` counts from the bars kept,
    /// coarser views fold the dropped bars in first, an open trip's entry bar moves with the
    /// bars. Returns how many bars and fills were dropped.
    @discardableResult
    public func releaseRecords(_ retention: LiveRetention, foldingEquityInto summary: inout EquitySummary?) -> (bars: Int, fills: Int) {
        var bars = 0
        for i in 0..<state.series.count {
            let drop = retention.excess(state.visible[i])
            guard drop > 0 else { continue }
            state.dropOldestBars(drop, instrument: i)
            trades.shiftBars(instrument: i, by: drop)
            bars += drop
        }
        let points = retention.excess(equity.count)
        if points > 0 {
            for k in 0..<points { summary?.add(equity.equity(at: k), at: equity.timestamp(at: k)) }
            equity.removeOldest(points)
        }
        let oldFills = retention.excessRecords(fills.count)
        if oldFills > 0 { fills.removeFirst(oldFills) }
        if retention.excessRecords(trades.closed.count) > 0 { trades.forgetClosed(keepingLast: retention.records) }
        return (bars, oldFills)
    }

    /// Forgets the `count` oldest decisions kept, once the store has them; the counts stay.
    public func forgetDecisions(_ count: Int) { context.log.forgetOldest(count) }
}
