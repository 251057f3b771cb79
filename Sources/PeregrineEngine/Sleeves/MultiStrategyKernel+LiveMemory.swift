import PeregrineCore

/// A live portfolio keeps a bounded past, as a single strategy's kernel does
/// (`TradingKernel+LiveMemory`): each sleeve its window, the account its recent equity.
extension MultiStrategyKernel {
    /// Each sleeve forgets its bars, equity, fills and trips past the window; the account's equity
    /// points past it are folded into `summary`, and each sleeve's recorded returns trimmed alike.
    /// Returns how many fills the sleeves dropped.
    @discardableResult
    public func releaseRecords(_ retention: LiveRetention, foldingEquityInto summary: inout EquitySummary?) -> Int {
        var fills = 0
        // A sleeve's own curve is only trimmed: the run's figures are the account's.
        var unfolded: EquitySummary? = nil
        for sleeve in sleeves { fills += sleeve.releaseRecords(retention, foldingEquityInto: &unfolded).fills }
        let points = retention.excess(equity.count)
        if points > 0 {
            for k in 0..<points { summary?.add(equity.equity(at: k), at: equity.timestamp(at: k)) }
            equity.removeOldest(points)
        }
        for k in sleeveReturns.indices {
            let drop = retention.excess(sleeveReturns[k].count)
            if drop > 0 { sleeveReturns[k].removeFirst(drop) }
        }
        return fills
    }
}
