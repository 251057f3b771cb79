import PeregrineCore

/// One instrument's bars at a coarser timeframe as a strategy may see them: the periods that
/// have closed by the end of the latest bar seen, never the one still forming. It folds the
/// instrument's bars through the same `BarAggregator` the offline resampler uses, catching up on
/// the bars that arrived since it was last read, so a strategy that reads it every bar does a
/// bar's worth of work per bar and one that never reads it does none.
final class TimeframeView {
    /// The instrument's place in the run.
    let index: Int
    let timeframe: Timeframe
    let zone: ZoneRule
    private var aggregator: BarAggregator<ZoneRule>
    /// The closed periods, oldest first.
    private(set) var closed: BarSeries
    /// How many of the instrument's bars have been folded in.
    private var folded = 0

    init(index: Int, instrument: Instrument, timeframe: Timeframe, zone: ZoneRule) {
        self.index = index
        self.timeframe = timeframe
        self.zone = zone
        aggregator = BarAggregator(grid: PeriodGrid(timeframe: timeframe, zone: zone))
        closed = BarSeries(instrument: instrument)
    }

    /// Folds in bars `folded..<visible` of `series`, then closes the forming period if the latest
    /// bar ends at or after its end (a bar ends `barInterval` after its stamp).
    func catchUp(with series: BarSeries, visible: Int, barInterval: Int64) {
        guard visible > folded else { return }
        series.withUnsafeColumns { bars in
            for k in folded..<visible {
                if let bar = aggregator.add(timestamp: bars.timestamps[k], open: bars.opens[k], high: bars.highs[k], low: bars.lows[k],
                                            close: bars.closes[k], volume: bars.volumes[k]) {
                    closed.append(bar)
                }
            }
            let (end, overflow) = bars.timestamps[visible - 1].addingReportingOverflow(barInterval)
            if let bar = aggregator.close(endedBy: overflow ? Int64.max : end) { closed.append(bar) }
        }
        folded = visible
    }

    /// The instrument's `count` oldest bars were dropped (a live window): the folded count follows.
    /// Call after `catchUp` over those bars, so none of them is lost to the coarser periods.
    func forgetBars(_ count: Int) {
        precondition(count <= folded, "a coarser view must fold bars in before they are dropped")
        folded -= count
    }
}
