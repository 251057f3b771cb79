import PeregrineCore
import PeregrineRisk

/// The event-driven kernel for historical data. For each bar, in time order across instruments:
/// match resting orders against the bar, mark the position, let the strategy decide, route its
/// orders (which rest until a later bar), and book every fill exactly. Generic over the strategy,
/// so the per-bar calls are direct.
public final class BacktestEngine<S: Strategy> {
    public private(set) var strategy: S
    public let configuration: BacktestConfiguration
    let feed: MarketFeed
    let context: StrategyContext
    private var trades: TradeTracker
    private var fills: [Fill] = []
    private let equity: EquityCurve
    private var exposedPeriods = 0
    private var openPositions = 0
    private var pending: [VenueEvent] = []
    private var exits: ExitManager?
    let periodsPerYear: Double

    public init(series: [BarSeries], strategy: S, configuration: BacktestConfiguration = BacktestConfiguration()) {
        precondition(!series.isEmpty, "a backtest needs at least one instrument")
        self.strategy = strategy
        self.configuration = configuration
        self.feed = MarketFeed(series: series)
        let intervals = series.map(\.typicalInterval)
        let venue = SimulatedVenue(instruments: series.map(\.instrument), configuration: configuration.venue,
                                   barIntervals: intervals)
        self.context = StrategyContext(
            series: series, account: Account(cash: configuration.initialCash, instrumentCount: series.count),
            venue: venue, gate: DecisionGate(allowShort: configuration.allowShort),
            checks: OrderChecks(allowShort: configuration.allowShort,
                                buyingPowerMultiple: configuration.buyingPowerMultiple),
            risk: configuration.risk.map { RiskEngine(limits: $0, symbols: series.map(\.instrument.symbol),
                                                      strategy: configuration.strategyName) },
            recordDecisions: configuration.recordDecisions)
        self.trades = TradeTracker(instrumentCount: series.count)
        self.exits = configuration.exits.map { ExitManager(plan: $0, barIntervals: intervals) }
        self.equity = series.count == 1 ? EquityCurve(barTimestamps: series[0].timestamps)
            : EquityCurve(capacity: feed.barCount)
        let calendar = configuration.venue.calendar ?? series[0].instrument.assetClass.defaultCalendar
        self.periodsPerYear = configuration.periodsPerYear
            ?? BacktestConfiguration.inferredPeriodsPerYear(interval: intervals[0], calendar: calendar)
    }

    /// Runs over all bars once and returns the result.
    public func run() -> BacktestResult {
        strategy.onStart(context)
        dispatchEvents()
        if feed.series.count == 1 {
            feed.series[0].withUnsafeColumns { columns in
                for k in 0..<columns.count {
                    step(instrument: 0, bar: columns[k], index: k)
                    recordEquity(at: columns.timestamps[k])
                }
            }
        } else {
            var k = 0
            let order = feed.order
            while k < order.count {
                let time = feed.series[Int(order[k].instrument)].timestamps[Int(order[k].bar)]
                while k < order.count,
                      feed.series[Int(order[k].instrument)].timestamps[Int(order[k].bar)] == time {
                    let i = Int(order[k].instrument)
                    let b = Int(order[k].bar)
                    step(instrument: i, bar: feed.series[i][b], index: b)
                    k += 1
                }
                recordEquity(at: time)
            }
        }
        strategy.onStop(context)
        dispatchEvents()
        return makeResult()
    }

    @inline(__always)
    private func step(instrument i: Int, bar: Bar, index: Int) {
        let id = InstrumentID(i)
        context.now = bar.timestamp
        context.venue.process(bar: bar, instrument: id)
        if !context.venue.events.isEmpty { dispatchEvents() }
        context.marks[i] = bar.close
        context.visible[i] = index + 1
        context.risk?.onBar(instrument: i, close: bar.close)
        strategy.onBar(bar, instrument: id, context)
        if exits != nil {
            let position = context.account.position(id).quantity
            if let instruction = exits!.onBar(bar, instrument: i, position: position.doubleValue) {
                context.exit(id, quantity: instruction.quantity, reason: instruction.reason, detail: instruction.detail)
            }
        }
        if configuration.venue.fillTiming == .close && context.venue.hasOpenOrders(id) {
            context.venue.fillMarketOrdersAtClose(bar: bar, instrument: id)
        }
        if !context.venue.events.isEmpty { dispatchEvents() }
    }

    @inline(__always)
    private func recordEquity(at time: Int64) {
        var value = context.account.cash
        if openPositions > 0 {
            exposedPeriods += 1
            if context.marks.count == 1 {
                value += context.marks[0] * context.account.positions[0].quantity
            } else {
                for (i, position) in context.account.positions.enumerated() where !position.isFlat {
                    value += context.marks[i] * position.quantity
                }
            }
        }
        equity.append(value, at: time)
        if let risk = context.risk {
            let day = context.venue.sessionDay(of: Timestamp(nanoseconds: time), instrument: InstrumentID(0))
            if case .flattenAll(let reason) = risk.onEquity(value.doubleValue, sessionDay: day, at: Timestamp(nanoseconds: time)) {
                context.liquidateAll(reason: reason)
                dispatchEvents()
            }
        }
    }

    /// Books fills and tells the strategy, until no event is left (a callback may send orders).
    private func dispatchEvents() {
        while !context.venue.events.isEmpty {
            swap(&pending, &context.venue.events)
            for event in pending {
                switch event {
                case .fill(let fill):
                    let before = context.account.position(fill.instrument).quantity
                    let realized = context.account.apply(fill)
                    let after = context.account.position(fill.instrument).quantity
                    if before.isZero != after.isZero { openPositions += before.isZero ? 1 : -1 }
                    if exits != nil {
                        let i = fill.instrument.index
                        if after.isZero {
                            exits!.onFlat(instrument: i)
                        } else if after.magnitude > before.magnitude || (after.units > 0) != (before.units > 0) {
                            let average = context.account.position(fill.instrument).averagePrice?.doubleValue ?? fill.price.doubleValue
                            exits!.onEntry(instrument: i, price: average, quantity: after.doubleValue)
                        }
                    }
                    let closedBefore = trades.closed.count
                    trades.record(fill, realized: realized, positionAfter: after,
                                  bar: context.visible[fill.instrument.index])
                    if let risk = context.risk {
                        let order = context.venue.orders[fill.orderID.value]
                        let viaStop = order.legRole == .stopLoss || order.type == .stop || order.type == .stopLimit
                            || order.type == .trailingStop
                        let closedPnL = trades.closed.count > closedBefore ? trades.closed.last!.netPnL.doubleValue : nil
                        risk.onPositionChange(instrument: fill.instrument.index, from: before, to: after, at: fill.timestamp,
                                              viaStop: viaStop, closedTripPnL: closedPnL)
                    }
                    fills.append(fill)
                    strategy.onFill(fill, context)
                case .orderUpdated(let id):
                    if let order = context.venue.order(id) { strategy.onOrderUpdate(order, context) }
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
    }

    private func makeResult() -> BacktestResult {
        let account = context.account
        let metrics = PerformanceMetrics(
            initialEquity: configuration.initialCash, equity: equity,
            trips: trades.closed, fillCount: account.fillCount, tradedNotional: account.tradedNotional,
            exposedPeriods: exposedPeriods, periodsPerYear: periodsPerYear, riskFreeRate: configuration.riskFreeRate)
        return BacktestResult(
            instruments: context.instruments, bars: feed.barCount, account: account, finalMarks: Array(context.marks),
            orders: context.venue.orders, fills: fills, roundTrips: trades.closed, openTrips: trades.openTrips,
            equity: equity, decisions: context.decisions,
            decisionCounts: context.decisionCounts, metrics: metrics, periodsPerYear: periodsPerYear)
    }
}
