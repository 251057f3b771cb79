import PeregrineCore
import PeregrineRisk

/// The per-bar core shared by backtests and live trading. For each bar: the venue sees it (the
/// simulated venue matches resting orders), positions are marked, the strategy decides, exit rules
/// run, and every fill is booked exactly. A backtest drives it from a fixed feed; the trading
/// runtime drives it bar by bar as bars arrive from a broker, with fills coming back from the
/// broker. Generic over strategy and venue, so the per-bar calls are direct.
public final class TradingKernel<S: Strategy, V: ExecutionVenue> {
    public let configuration: BacktestConfiguration
    public let venue: V
    public let context: StrategyContext
    /// The context's clock, books and marks, which the kernel writes every bar.
    let state: TradingState
    @exclusivity(unchecked) var trades: TradeTracker
    @exclusivity(unchecked) public internal(set) var fills: [Fill] = []
    let equity: EquityCurve
    @exclusivity(unchecked) private var exposedPeriods = 0
    @exclusivity(unchecked) private var openPositions = 0
    /// The bot's schedule (nil: every bar) and what a daily one remembers between bars; kept out of
    /// `configuration` so the per-bar check is one load.
    private let schedule: TradingSchedule?
    @exclusivity(unchecked) private var scheduleState = TradingSchedule.State()
    @exclusivity(unchecked) private var pending: [VenueEvent] = []
    @exclusivity(unchecked) private var exits: ExitManager?
    /// Per instrument, the stop level resting now (resting exits with a trailing stop move it).
    @exclusivity(unchecked) private var restedStop: [Double?]
    public let periodsPerYear: Double
    /// Equity at the last close step's marks.
    @exclusivity(unchecked) public private(set) var lastEquity: Money = .zero
    /// Set the first time equity leaves the books' range (a position marked at a price that ran
    /// away past `Money.maximum`); the kernel then stops taking bars, and the run is refused with it.
    @exclusivity(unchecked) public private(set) var rangeFailure: String?
    /// Per instrument, its splits and dividends in date order and how many have been applied
    /// (nil without any: the per-bar check is then one load).
    @exclusivity(unchecked) private var actions: (pending: [[CorporateAction]], next: [Int])?
    /// Per instrument, the time steps at which it held a position but had no bar of that time, so
    /// the position was marked at an older close (a universe with missing bars).
    @exclusivity(unchecked) public private(set) var staleMarkSteps: [Int]
    /// The splits and dividends applied so far.
    @exclusivity(unchecked) public private(set) var appliedActions: [AppliedCorporateAction] = []
    /// Whether an exit plan is configured: one load per bar, where testing `exits` for nil copied the
    /// optional manager.
    private let hasExits: Bool
    /// The strategy's `observesOrderUpdates`, read once.
    private let observesOrderUpdates: Bool
    /// Equities of the bars ahead, looked through for the kill switch before a strategy skips them.
    private let quietEquities = UnsafeMutableBufferPointer<Double>.allocate(capacity: 64)
    /// The strategy's `skipsQuietBars`, read once.
    private let skipsQuietBars: Bool
    /// No per-bar rule is configured that could act on a bar where the strategy does not: the part
    /// of `isQuiet` fixed for the run.
    private let quietRun: Bool
    /// The session day the risk limits last saw, asked of the venue again only from time `until`
    /// on (or before `from`): once a day instead of every bar.
    @exclusivity(unchecked) private var riskDay: (day: Int64, from: Int64, until: Int64) = (0, 0, 0)
    /// The equity curve values a single instrument's points from its closes: the kernel hands it
    /// cash and position instead of each amount.
    private let equityFromCloses: Bool
    /// The largest |close| of the series being replayed, which bounds every skipped bar's equity.
    @exclusivity(unchecked) private var largestClose: Int64?
    /// Last of the stored properties: its size depends on `S`, and every property after it would be
    /// found through the type's metadata on each access instead of at a fixed offset.
    @exclusivity(unchecked) public private(set) var strategy: S

    /// `series` holds each instrument's bars known so far (all of them in a backtest; the warm-up
    /// history, possibly empty, when trading). `account` may start with positions adopted from a broker,
    /// and `riskState` with a kill switch or pauses saved by an earlier run.
    public init(series: [BarSeries], strategy: S, venue: V, account: Account, configuration: BacktestConfiguration,
                equity: EquityCurve, periodsPerYear: Double, riskState: RiskState = RiskState()) {
        precondition(!series.isEmpty, "a kernel needs at least one instrument")
        self.strategy = strategy
        self.configuration = configuration
        self.venue = venue
        let intervals = series.map { configuration.barInterval ?? $0.typicalInterval }
        self.context = StrategyContext(
            series: series, barIntervals: intervals,
            zones: series.map { (configuration.venue.calendar ?? $0.instrument.assetClass.defaultCalendar).zone },
            account: account, venue: venue, gate: DecisionGate(allowShort: configuration.allowShort),
            checks: OrderChecks(allowShort: configuration.allowShort, buyingPowerMultiple: configuration.buyingPowerMultiple),
            risk: configuration.risk.map { RiskEngine(limits: $0, symbols: series.map(\.instrument.symbol),
                                                      strategy: configuration.strategyName, state: riskState) },
            recordDecisions: configuration.recordDecisions)
        state = context.state
        context.scheduleGate.tradingStart = configuration.tradingStart
        context.scheduleGate.schedule = configuration.schedule
        context.sizing.policy = configuration.sizing.flatMap { $0.method == .strategy ? nil : $0 }
        context.sizing.periodsPerYear = periodsPerYear
        context.router.reviewer = configuration.entryReviewer?.reviewer
        context.router.accountExposure = configuration.accountExposure?.limit
        schedule = configuration.schedule
        self.trades = TradeTracker(instrumentCount: series.count)
        self.exits = configuration.exits.map { ExitManager(plan: $0, barIntervals: intervals) }
        hasExits = configuration.exits != nil
        observesOrderUpdates = S.observesOrderUpdates
        skipsQuietBars = S.skipsQuietBars && series.count == 1
        quietRun = configuration.exits == nil && configuration.schedule == nil && configuration.corporateActions.isEmpty
        restedStop = Array(repeating: nil, count: series.count)
        staleMarkSteps = Array(repeating: 0, count: series.count)
        self.equity = equity
        equityFromCloses = equity.isValuedFromCloses && series.count == 1
        self.periodsPerYear = periodsPerYear
        openPositions = account.positions.filter { !$0.isFlat }.count
        if !configuration.corporateActions.isEmpty {
            let pending = series.map { s in configuration.corporateActions.filter { $0.symbol == s.instrument.symbol }.sorted { $0.date < $1.date } }
            if pending.contains(where: { !$0.isEmpty }) { actions = (pending, Array(repeating: 0, count: series.count)) }
        }
    }

    /// Room for `count` fills, decisions and closed trades, taken before the run so the records
    /// never grow (and copy themselves) while it runs; capacity not written is never paged in.
    func reserveRecords(_ count: Int) {
        fills.reserveCapacity(count)
        trades.reserve(count)
        context.log.reserve(count)
    }

    deinit { quietEquities.deallocate() }

    /// Once, before the first bar.
    public func start() {
        strategy.onStart(context)
        dispatchEvents()
    }

    /// Once, after the last bar.
    public func finish() {
        strategy.onStop(context)
        dispatchEvents()
    }

    /// Steps through every bar of `feed` in time order, closing each time step: a whole backtest,
    /// or the warm-up history of a live run.
    public func replay(_ feed: MarketFeed) {
        if feed.series.count == 1 {
            feed.series[0].withUnsafeColumns { columns in
                if skipsQuietBars && equityFromCloses { largestClose = Self.largestClose(columns.closes) }
                var k = 0
                while k < columns.count && rangeFailure == nil {
                    if skipsQuietBars && isQuiet {
                        let (next, stepNext) = advanceQuietly(columns, from: k)
                        k = next
                        if !stepNext { continue }
                        if k == columns.count || rangeFailure != nil { break }
                    }
                    step(instrument: 0, bar: columns[k], index: k)
                    closeStep(at: columns.timestamps[k])
                    k += 1
                }
            }
        } else {
            feed.walk(bar: { if rangeFailure == nil { step(instrument: $0, bar: $1, index: $2) } },
                      close: { if rangeFailure == nil { closeStep(at: $0) } })
        }
    }

    /// Replays the bars the kernel was built with: the warm-up history of a live run.
    public func replayHistory() { replay(MarketFeed(series: state.series)) }

    /// Whether nothing but the strategy's own state, the marks and the risk layer's running figures
    /// can change on the next bars of the single instrument: no working order or undelivered event,
    /// no option book, and none of the per-bar rules (exits, schedule, corporate actions) configured.
    /// Risk limits may be on: `advanceQuietly` stops a skip before a bar where the kill switch flattens.
    private var isQuiet: Bool {
        quietRun && state.options == nil && !venue.hasEvents && !venue.hasOpenOrders(InstrumentID(0))
    }

    /// From bar `k` of the single instrument, lets the strategy feed itself the bars it would not act
    /// on and closes their steps; returns the next bar and whether it must be stepped (the strategy
    /// acts on it, or the kill switch would flatten on it) rather than tried again. With risk limits
    /// and a position the bars go in chunks: the kill switch is looked for in each chunk's equities
    /// before the strategy may skip them.
    private func advanceQuietly(_ columns: BarSeries.Columns, from k: Int) -> (next: Int, stepNext: Bool) {
        var end = columns.count
        var killSwitchBound = false
        if let risk = context.risk {
            let cash = state.account.cash
            if openPositions > 0 {
                end = Swift.min(k + quietEquities.count, end)
                let quantity = state.account.positions[0].quantity
                for j in k..<end { quietEquities[j - k] = (cash + Price(units: columns.closes[j]) * quantity).doubleValue }
                if let first = risk.firstKillSwitch(UnsafeBufferPointer(rebasing: quietEquities[0..<(end - k)])) {
                    end = k + first
                    killSwitchBound = true
                }
            } else {
                quietEquities[0] = cash.doubleValue  // flat: the same equity on every bar
                if risk.firstKillSwitch(UnsafeBufferPointer(rebasing: quietEquities[0..<1])) != nil { return (k, true) }
            }
            if end == k { return (k, true) }
        }
        let next = strategy.skipQuietBars(columns, from: k, to: end, instrument: InstrumentID(0))
        if next > k { closeQuietSteps(columns, from: k, to: next) }
        return (next, next < end || killSwitchBound)
    }

    /// Bars `from..<to` of the single instrument that the strategy fed itself (`skipQuietBars`):
    /// each closes its time step as `step` and `closeStep` would on a bar where nothing happens,
    /// with the equity point at the bar's close, written in one pass.
    private func closeQuietSteps(_ columns: BarSeries.Columns, from: Int, to: Int) {
        var end = to
        let cash = state.account.cash
        var value = cash
        if openPositions > 0 {
            let quantity = state.account.positions[0].quantity
            if equityFromCloses, Self.holdsInRange(cash: cash, quantity: quantity, largestClose: largestClose) {
                // Every point in range: the curve keeps the holding and values the points when read.
                equity.appendHolding(cash: cash, quantity: quantity, bars: to - from)
                value = cash + Price(units: columns.closes[to - 1]) * quantity
            } else {
                for k in from..<to {
                    value = cash + Price(units: columns.closes[k]) * quantity
                    if !value.isInRange {
                        end = k + 1
                        state.marks[0] = Price(units: columns.closes[k])  // the refusal names the mark
                        refuseRange(value, at: columns.timestamps[k])
                        appendQuietPoint(value, cash: cash, quantity: quantity, columns, k)
                        break
                    }
                    appendQuietPoint(value, cash: cash, quantity: quantity, columns, k)
                }
            }
            exposedPeriods += end - from
        } else {
            if !value.isInRange { end = from + 1; refuseRange(value, at: columns.timestamps[from]) }
            if equityFromCloses {
                equity.appendHolding(cash: cash, quantity: Quantity(units: 0), bars: end - from)
            } else {
                for k in from..<end { equity.append(value, at: columns.timestamps[k]) }
            }
        }
        lastEquity = value
        if let risk = context.risk {
            // What each bar's step and close would have told the risk layer: its close, then its
            // equity, a session day at a time. In a position the equities are the chunk's, worked out
            // by `advanceQuietly` (at most `quietEquities.count` bars); flat, one value for all.
            risk.onBars(instrument: 0, closes: columns.closes, from: from, to: end)
            let flat = openPositions == 0
            if flat { quietEquities.update(repeating: value.doubleValue) }
            var k = from
            while k < end {
                let time = columns.timestamps[k]
                if time < riskDay.from || time >= riskDay.until {
                    let (day, until) = venue.sessionDay(of: Timestamp(nanoseconds: time), instrument: InstrumentID(0))
                    riskDay = (day, time, until)
                }
                var dayEnd = k + 1
                while dayEnd < end && columns.timestamps[dayEnd] < riskDay.until && (!flat || dayEnd - k < quietEquities.count) {
                    dayEnd += 1
                }
                let offset = flat ? 0 : k - from
                let equities = UnsafeBufferPointer(rebasing: quietEquities[offset..<(offset + dayEnd - k)])
                if case .flattenAll(let reason) = risk.onEquities(equities, sessionDay: riskDay.day,
                                                                  times: { Timestamp(nanoseconds: columns.timestamps[k + $0]) }) {
                    // Not reached (the kill switch was looked for first); flattened as a step would.
                    context.exits.liquidateAll(reason: reason)
                    dispatchEvents()
                    break
                }
                k = dayEnd
            }
        }
        venue.processQuietBars(columns, from: from, to: end, instrument: InstrumentID(0))
        state.now = Timestamp(nanoseconds: columns.timestamps[end - 1])
        state.marks[0] = Price(units: columns.closes[end - 1])
        state.visible[0] = end
    }

    /// A skipped bar's equity point, one at a time (when the bound of `holdsInRange` does not hold).
    @inline(__always)
    private func appendQuietPoint(_ value: Money, cash: Money, quantity: Quantity, _ columns: BarSeries.Columns, _ k: Int) {
        if equityFromCloses {
            equity.append(value, cash: cash, quantity: quantity, close: columns.closes[k])
        } else {
            equity.append(value, at: columns.timestamps[k])
        }
    }

    /// Whether `cash + close * quantity` is within the books' range at any close of the series, by
    /// the bound |cash| + largest |close| x |quantity| (no look at the bars themselves); false when
    /// that bound is not, and each bar is then checked on its own.
    private static func holdsInRange(cash: Money, quantity: Quantity, largestClose: Int64?) -> Bool {
        // Cash within the books' range keeps the sum below 2 x 10^37: no overflow to trap on.
        guard let largestClose, cash.isInRange, let size = Int128(exactly: quantity.units.magnitude) else { return false }
        return (Money(units: Int128(cash.units.magnitude)) + Price(units: largestClose) * Quantity(units: size)).isInRange
    }

    /// The largest |close| of a single instrument's series, for `holdsInRange`; nil beyond 64 bits.
    private static func largestClose(_ closes: UnsafeBufferPointer<Int64>) -> Int64? {
        var most: UInt64 = 0
        for close in closes { most = Swift.max(most, close.magnitude) }
        return Int64(exactly: most)
    }

    /// A bar that arrived after the kernel was built (live trading): appended to the instrument's
    /// history and processed. Call `closeStep(at:)` once all instruments' bars of that time are in.
    public func receive(_ bar: Bar, instrument i: Int) {
        guard rangeFailure == nil else { return }
        state.series[i].append(bar)
        step(instrument: i, bar: bar, index: state.series[i].count - 1)
    }

    @inline(__always)
    func step(instrument i: Int, bar: Bar, index: Int) {
        let id = InstrumentID(i)
        state.now = bar.timestamp
        if actions != nil { applyCorporateActions(instrument: i, at: bar.timestamp) }
        if state.options != nil { settleAndFillOptions(instrument: i, bar: bar) }
        venue.process(bar: bar, instrument: id)
        if venue.hasEvents { dispatchEvents() }
        state.marks[i] = bar.close
        state.visible[i] = index + 1
        context.risk?.onBar(instrument: i, close: bar.close)
        if let schedule {
            let scheduleGate = context.scheduleGate
            scheduleGate.onSchedule = schedule.admits(bar.timestamp, state: &scheduleState)
            strategy.onBar(bar, instrument: id, context)
            if scheduleGate.onSchedule { context.actOnDeferred(id) } else { scheduleGate.barDone(id) }
        } else {
            strategy.onBar(bar, instrument: id, context)
        }
        if hasExits {
            let position = state.account.position(id).quantity
            if let instruction = exits!.onBar(bar, instrument: i, position: position.doubleValue) {
                context.exits.exit(id, quantity: instruction.quantity, reason: instruction.reason, detail: instruction.detail)
            } else if exits!.plan.movesRestingStop && !position.isZero {
                trailRestingStop(id, long: position.units > 0)
            }
        }
        if configuration.venue.fillTiming == .close && venue.hasOpenOrders(id) {
            venue.fillMarketOrdersAtClose(bar: bar, instrument: id)
        }
        if venue.hasEvents { dispatchEvents() }
    }

    /// Ends a time step: records equity at the latest marks and lets the risk layer see it (the
    /// drawdown kill switch flattens here).
    @inline(__always)
    public func closeStep(at time: Int64) {
        var value = state.account.cash
        if openPositions > 0 {
            exposedPeriods += 1
            if state.marks.count == 1 {
                value += state.marks[0] * state.account.positions[0].quantity
            } else {
                for (i, position) in state.account.positions.enumerated() where !position.isFlat {
                    value += state.marks[i] * position.quantity
                    let seen = state.visible[i]
                    if seen == 0 || state.series[i].timestamps[seen - 1] != time { staleMarkSteps[i] += 1 }
                }
            }
        }
        if state.options != nil { value += state.optionValue }
        if !value.isInRange { refuseRange(value, at: time) }
        if equityFromCloses && state.options == nil {
            equity.append(value, cash: state.account.cash, quantity: openPositions > 0 ? state.account.positions[0].quantity : Quantity(units: 0),
                          close: state.marks[0].units)
        } else {
            equity.append(value, at: time)
        }
        lastEquity = value
        if let risk = context.risk {
            if time < riskDay.from || time >= riskDay.until {
                let (day, until) = venue.sessionDay(of: Timestamp(nanoseconds: time), instrument: InstrumentID(0))
                riskDay = (day, time, until)
            }
            if case .flattenAll(let reason) = risk.onEquity(value.doubleValue, sessionDay: riskDay.day, at: Timestamp(nanoseconds: time)) {
                context.exits.liquidateAll(reason: reason)
                dispatchEvents()
            }
        }
    }

    /// The splits and dividends of instrument `i` dated on or before this bar's date (UTC), before
    /// the venue sees the bar: a split cancels the instrument's working orders (their prices and
    /// sizes are pre-split), scales the position at unchanged cost and settles a fraction of a lot
    /// in cash; a dividend pays cash per share held.
    private func applyCorporateActions(instrument i: Int, at time: Timestamp) {
        guard let pending = actions?.pending[i] else { return }
        let day = time.nanoseconds.floorDivided(by: Timestamp.nanosPerDay)
        while let next = actions?.next[i], next < pending.count, pending[next].date.daysSinceEpoch <= day {
            let action = pending[next]
            actions?.next[i] += 1
            let id = InstrumentID(i)
            let before = state.account.position(id).quantity
            let cashBefore = state.account.cash
            switch action.kind {
            case .split(let numerator, let denominator):
                for order in venue.openOrders(id) { _ = venue.cancel(order.id, at: time) }
                let reference = Price(units: Int64(clamping: Int128(state.marks[i].units) * Int128(denominator) / Int128(numerator)))
                let realized = state.account.split(id, numerator: numerator, denominator: denominator,
                                                   lot: state.instruments[i].lotSize, price: reference)
                state.marks[i] = reference
                trades.split(instrument: i, numerator: numerator, denominator: denominator)
                trades.addIncome(instrument: i, realized)
                exits?.onSplit(instrument: i, ratio: Double(numerator) / Double(denominator))
                restedStop[i] = nil
                if exits?.plan.resting == true && !state.account.position(id).isFlat { restProtection(id) }
            case .dividend(let perShare):
                trades.addIncome(instrument: i, state.account.payDividend(id, perShare: perShare))
            }
            let after = state.account.position(id).quantity
            if before.isZero != after.isZero { openPositions += before.isZero ? 1 : -1 }
            if before != after || state.account.cash != cashBefore || !before.isZero {
                appliedActions.append(AppliedCorporateAction(action: action, timestamp: time, positionBefore: before,
                                                             positionAfter: after, cash: state.account.cash - cashBefore))
            }
            if venue.hasEvents { dispatchEvents() }
        }
    }

    private func refuseRange(_ value: Money, at time: Int64) {
        guard rangeFailure == nil else { return }
        let held = context.instruments.indices.filter { !state.account.positions[$0].isFlat }
            .map { "\(state.account.positions[$0].quantity) \(context.instruments[$0].symbol) at \(state.marks[$0])" }
        rangeFailure = "equity at \(Timestamp(nanoseconds: time)) is beyond the largest amount the books hold "
            + "(\(Money.maximum.formatted(places: 0))): " + (held.isEmpty ? "cash \(state.account.cash)" : held.joined(separator: ", "))
            + "; a price in the data ran away (check it with peregrine data validate)"
    }

    /// Books fills and tells the strategy, until no event is left (a callback may send orders).
    /// The events are taken out of the list one by one (reversed, then popped from the end), so
    /// each is moved rather than copied and the list is left empty with nothing to destroy.
    public func dispatchEvents() {
        while venue.hasEvents {
            swap(&pending, &venue.events)
            pending.reverse()
            while let event = pending.popLast() {
                switch event {
                case .fill(let fill): book(fill)
                case .orderUpdated(let id):
                    if observesOrderUpdates, let order = venue.order(id) { strategy.onOrderUpdate(order, context) }
                }
            }
        }
    }

    /// Takes the fill over (`consuming`): it ends in `fills` without a copy.
    func book(_ fill: consuming Fill) {
        let before = state.account.position(fill.instrument).quantity
        let realized = state.account.apply(fill)
        let after = state.account.position(fill.instrument).quantity
        if before.isZero != after.isZero { openPositions += before.isZero ? 1 : -1 }
        if hasExits {
            let i = fill.instrument.index
            if after.isZero {
                exits!.onFlat(instrument: i)
            } else if after.magnitude > before.magnitude || (after.units > 0) != (before.units > 0) {
                let average = state.account.position(fill.instrument).averagePrice?.doubleValue ?? fill.price.doubleValue
                exits!.onEntry(instrument: i, price: average, quantity: after.doubleValue)
            } else {
                exits!.onReduce(instrument: i, size: after.magnitude.doubleValue)
            }
            // The resting stop and target always cover the whole position: re-rested on every change.
            if exits!.plan.resting { restProtection(fill.instrument) }
        }
        let closedBefore = trades.closed.count
        trades.record(fill, realized: realized, positionAfter: after, bar: state.visible[fill.instrument.index])
        if context.sizing.hasPolicy, trades.closed.count > closedBefore {
            for trip in trades.closed[closedBefore...] { context.sizing.tradeStats.record(returnOnEntry: trip.returnOnEntry) }
        }
        if let risk = context.risk {
            // Shares delivered by an option's exercise or assignment have no venue order: not via a stop.
            let order = venue.order(fill.orderID)
            let viaStop = order.map { $0.legRole == .stopLoss || $0.type == .stop || $0.type == .stopLimit || $0.type == .trailingStop } ?? false
            let closedPnL = trades.closed.count > closedBefore ? trades.closed.last!.netPnL.doubleValue : nil
            risk.onPositionChange(instrument: fill.instrument.index, from: before, to: after, at: fill.timestamp,
                                  viaStop: viaStop, closedTripPnL: closedPnL)
        }
        // The strategy hears of the fill before it joins `fills` (it cannot read them), so the fill
        // moves into the list last.
        strategy.onFill(fill, context)
        fills.append(fill)
    }

    /// After a bar that moved the trailing level past the resting stop, the protection is rested
    /// again at the new level (with the same target); a looser level leaves it where it is.
    private func trailRestingStop(_ id: InstrumentID, long: Bool) {
        guard let stop = exits!.protection(instrument: id.index)?.stop else { return }
        if let rested = restedStop[id.index], long ? stop <= rested : stop >= rested { return }
        restProtection(id)
    }

    /// Cancels the instrument's resting orders and rests the exit plan's current levels, if the
    /// position has any (a flat position has none): one piece, or a scaled exit's tiers and the rest.
    private func restProtection(_ id: InstrumentID) {
        context.exits.cancelProtection(id)
        let pieces = exits!.restingPieces(instrument: id.index, size: state.account.position(id).quantity.magnitude.doubleValue)
        for piece in pieces { context.exits.protect(id, quantity: piece.quantity, stop: piece.stop, target: piece.target) }
        restedStop[id.index] = pieces.first?.stop
    }

    /// The run so far as a result: books, orders, fills, trips, equity and metrics.
    public func result(bars: Int) -> BacktestResult {
        let account = state.account
        let metrics = PerformanceMetrics(
            initialEquity: account.initialCash, equity: equity,
            trips: trades.closed, fillCount: account.fillCount, tradedNotional: account.tradedNotional,
            exposedPeriods: exposedPeriods, periodsPerYear: periodsPerYear, riskFreeRate: configuration.riskFreeRate)
        return BacktestResult(
            instruments: context.instruments, bars: bars, account: account, finalMarks: Array(state.marks),
            orders: venue.orders, fills: fills, roundTrips: trades.closed, openTrips: trades.openTrips,
            equity: equity, decisions: context.decisions,
            decisionCounts: context.decisionCounts, metrics: metrics, periodsPerYear: periodsPerYear, rangeFailure: rangeFailure,
            corporateActions: appliedActions, staleMarkSteps: staleMarkSteps, options: state.options)
    }
}
