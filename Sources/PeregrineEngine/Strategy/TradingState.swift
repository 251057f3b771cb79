import PeregrineCore

/// What every part of a strategy's context reads: the clock, the account, each instrument's
/// latest close and the bars seen so far. The kernel writes it every bar; the router, the exits,
/// the schedule and the sizing share this one copy by reference.
final class TradingState {
    let instruments: [Instrument]
    /// The time of the bar being processed.
    @exclusivity(unchecked) var now = Timestamp(nanoseconds: 0)
    /// A person paused the bot: the router refuses orders that open or add to a position.
    @exclusivity(unchecked) var entriesPaused = false
    @exclusivity(unchecked) var account: Account
    /// Latest close per instrument (zero before its first bar), in a buffer the kernel writes
    /// every bar without copy-on-write checks.
    let marks: UnsafeMutableBufferPointer<Price>
    /// Bars known so far per instrument; live trading appends as bars arrive.
    @exclusivity(unchecked) var series: [BarSeries]
    /// Bars visible per instrument.
    let visible: UnsafeMutableBufferPointer<Int>
    /// Per instrument, the bar length: a bar ends this long after its stamp.
    let barIntervals: [Int64]
    /// Per instrument, the zone whose clock coarser timeframes follow unless a strategy names one.
    let zones: [ZoneRule]
    /// Option contracts the strategy trades, nil until its first option order (`TradingState+Options`).
    @exclusivity(unchecked) var options: OptionBook?
    /// How option contracts are priced (`BacktestConfiguration.optionRate` sets its rate).
    var optionPricing = OptionPricingModel()
    /// The coarser views strategies asked for, each caught up when read; no per-bar step touches them.
    private var timeframeViews: [TimeframeView] = []

    init(series: [BarSeries], barIntervals: [Int64], zones: [ZoneRule], account: Account) {
        precondition(barIntervals.count == series.count && zones.count == series.count)
        self.series = series
        self.barIntervals = barIntervals
        self.zones = zones
        self.instruments = series.map(\.instrument)
        self.account = account
        self.marks = .allocate(capacity: series.count)
        self.marks.initialize(repeating: .zero)
        self.visible = .allocate(capacity: series.count)
        self.visible.initialize(repeating: 0)
    }

    deinit {
        marks.deallocate()
        visible.deallocate()
    }

    /// Cash plus positions at their latest close.
    var equity: Money {
        var total = account.cash
        for (index, position) in account.positions.enumerated() where !position.isFlat {
            total += marks[index] * position.quantity
        }
        if options != nil { total += optionValue }
        return total
    }

    /// The bars of an instrument up to the current one.
    func history(_ instrument: InstrumentID) -> BarHistory {
        BarHistory(series: series[instrument.index], visibleCount: visible[instrument.index])
    }

    /// The closed periods of an instrument at a coarser timeframe, up to its latest bar.
    func history(_ instrument: InstrumentID, timeframe: Timeframe, zone: ZoneRule?) -> BarHistory {
        let i = instrument.index
        let zone = zone ?? zones[i]
        let view: TimeframeView
        if let known = timeframeViews.first(where: { $0.index == i && $0.timeframe == timeframe && $0.zone == zone }) {
            view = known
        } else {
            view = TimeframeView(index: i, instrument: instruments[i], timeframe: timeframe, zone: zone)
            timeframeViews.append(view)
        }
        view.catchUp(with: series[i], visible: visible[i], barInterval: barIntervals[i])
        return BarHistory(series: view.closed, visibleCount: view.closed.count)
    }

    /// Live trading keeps a window of recent bars: drops instrument `i`'s `count` oldest, after each
    /// coarser view folded them in, so what a strategy reads (`history`, the views, the visible
    /// count) is the same as before but for the bars dropped. The closed coarser periods are kept.
    func dropOldestBars(_ count: Int, instrument i: Int) {
        let count = min(count, visible[i])
        guard count > 0 else { return }
        for view in timeframeViews where view.index == i {
            view.catchUp(with: series[i], visible: visible[i], barInterval: barIntervals[i])
            view.forgetBars(count)
        }
        series[i].removeOldest(count)
        visible[i] -= count
    }
}
