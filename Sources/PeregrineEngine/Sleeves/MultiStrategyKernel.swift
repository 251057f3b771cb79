import PeregrineCore
import PeregrineRisk

/// Several strategies trading as one portfolio in one account. Each sleeve is a `TradingKernel` of
/// its own (its strategy, sub-book, exits and risk limits) over a `SleeveVenue`, a view of the one
/// venue they share, so every sleeve keeps exact books of its own fills and the account is their
/// sum. Each bar reaches the shared venue once, then every sleeve in sleeve order. At each close
/// step the sleeves' time-weighted returns feed the allocator; every `rebalanceEvery` steps it
/// names new weights and cash moves between the sub-books (`CapitalTransfers`), which size their
/// next entries from the capital they now hold. Backtest and live trading drive it alike.
public final class MultiStrategyKernel<V: ExecutionVenue> {
    public let venue: V
    public let router: SleeveRouter<V>
    public let names: [String]
    @exclusivity(unchecked) public private(set) var sleeves: [any SleeveKernel] = []
    @exclusivity(unchecked) public private(set) var allocator: SleeveAllocator
    public let rebalanceEvery: Int
    /// The account's equity per close step: the sum of the sleeves'.
    public let equity: EquityCurve
    public let periodsPerYear: Double
    /// The weights in force (set at the start and at each rebalance).
    @exclusivity(unchecked) public private(set) var weights: [Double]
    @exclusivity(unchecked) public private(set) var rebalances: [CapitalRebalance] = []
    /// Per sleeve, its return over each close step, capital moved excluded.
    @exclusivity(unchecked) public internal(set) var sleeveReturns: [[Double]]
    @exclusivity(unchecked) private var previousEquity: [Double] = []
    /// This step's return of each sleeve (kept to spare an allocation per bar).
    @exclusivity(unchecked) private var stepReturns: [Double] = []
    @exclusivity(unchecked) private var steps = 0
    @exclusivity(unchecked) private var sinceRebalance = 0

    /// The account-wide daily loss limit and drawdown kill switch, over the sum of the sleeves: past
    /// them every sleeve goes reducing-only, or flattens and halts until a person resumes.
    public let accountRisk: RiskEngine?
    /// Steps before this time only warm the sleeves up (live history, or a backtest's warm-up): the
    /// allocator neither learns from them nor counts them toward a rebalance.
    @exclusivity(unchecked) public var tradingStart: Int64?

    /// `allocator` names the sleeves; add them with `addSleeve` in that order before the first bar.
    /// `accountLimits` (their daily loss limit and maximum drawdown) watch the whole account, with
    /// `accountState` saved by an earlier run.
    public init(venue: V, allocator: SleeveAllocator, rebalanceEvery: Int, equity: EquityCurve, periodsPerYear: Double,
                accountLimits: RiskLimits? = nil, accountState: RiskState = RiskState()) {
        precondition(rebalanceEvery > 0, "rebalance at least every step count > 0")
        self.venue = venue
        self.router = SleeveRouter(venue: venue)
        self.names = allocator.names
        var allocator = allocator
        self.weights = allocator.initialWeights()
        self.allocator = allocator
        self.rebalanceEvery = rebalanceEvery
        self.equity = equity
        self.periodsPerYear = periodsPerYear
        self.sleeveReturns = Array(repeating: [], count: allocator.names.count)
        self.accountRisk = accountLimits.map {
            RiskEngine(limits: $0, symbols: [], strategy: "portfolio", state: accountState)
        }
    }

    /// Cash split by the starting weights, to the nearest cent, the remainder to the last sleeve.
    public func initialCash(splitting total: Money) -> [Money] { CapitalTransfers.split(total, weights: weights) }

    /// Adds the next sleeve: its strategy on the shared instruments (`series`: history known so far)
    /// with its own books. `configuration` holds the sleeve's exits, risk limits and sizing.
    @discardableResult
    public func addSleeve<S: Strategy>(strategy: S, series: [BarSeries], account: Account, configuration: BacktestConfiguration,
                                       equity: EquityCurve, riskState: RiskState = RiskState(),
                                       clientOrderTag: String? = nil) -> TradingKernel<S, SleeveVenue<V>> {
        precondition(sleeves.count < names.count, "more sleeves than the allocator names")
        let view = router.addView(clientOrderTag: clientOrderTag)
        var configuration = configuration
        configuration.strategyName = names[sleeves.count]
        // The account's breaker reaches a sleeve through the sleeve's own risk layer.
        if accountRisk != nil && configuration.risk == nil { configuration.risk = RiskLimits.none }
        let kernel = TradingKernel(series: series, strategy: strategy, venue: view, account: account, configuration: configuration,
                                   equity: equity, periodsPerYear: periodsPerYear, riskState: riskState)
        sleeves.append(kernel)
        return kernel
    }

    /// Once, before the first bar.
    public func start() {
        precondition(sleeves.count == names.count, "\(names.count) sleeves named, \(sleeves.count) added")
        previousEquity = sleeves.map { $0.context.equity.doubleValue }
        stepReturns = Array(repeating: 0, count: sleeves.count)
        rebalances.append(CapitalRebalance(step: 0, timestamp: 0, weights: weights, transfers: Array(repeating: .zero, count: names.count)))
        for sleeve in sleeves { sleeve.start() }
    }

    /// Once, after the last bar.
    public func finish() {
        for sleeve in sleeves { sleeve.finish() }
    }

    /// Every bar of `feed` in time order, closing each time step (a backtest, or a live warm-up).
    public func replay(_ feed: MarketFeed) {
        feed.walk(bar: { if rangeFailure == nil { step(instrument: $0, bar: $1, index: $2) } },
                  close: { if rangeFailure == nil { closeStep(at: $0) } })
    }

    /// The first sleeve's reason for stopping when its equity left the books' range; no bar is
    /// taken after it.
    public var rangeFailure: String? {
        for sleeve in sleeves { if let failure = sleeve.rangeFailure { return failure } }
        return nil
    }

    /// Replays the bars the sleeves were built with: the warm-up history of a live run.
    public func replayHistory() { replay(MarketFeed(series: sleeves[0].context.state.series)) }

    /// One bar of history: the shared venue sees it, then each sleeve.
    public func step(instrument i: Int, bar: Bar, index: Int) {
        venue.process(bar: bar, instrument: InstrumentID(i))
        for k in sleeves.indices { sleeves[k].stepSharedBar(instrument: i, bar: bar, index: index) }
    }

    /// A bar that arrived while trading: appended to every sleeve's history and processed.
    public func receive(_ bar: Bar, instrument i: Int) {
        guard rangeFailure == nil else { return }
        venue.process(bar: bar, instrument: InstrumentID(i))
        for sleeve in sleeves { sleeve.receiveSharedBar(bar, instrument: i) }
    }

    /// Fills and status changes to their sleeves, until none is left.
    public func dispatchEvents() {
        repeat {
            for sleeve in sleeves { sleeve.dispatchEvents() }
            router.route()
        } while sleeves.indices.contains { !router.views[$0].events.isEmpty }
    }

    /// Ends a time step: each sleeve records its equity and risk; the allocator learns each
    /// sleeve's return; at a rebalance, cash moves to the new weights.
    public func closeStep(at time: Int64) {
        let warmingUp = tradingStart.map { time < $0 } ?? false
        var total = Money.zero
        for k in sleeves.indices {
            let sleeve = sleeves[k]
            sleeve.closeStep(at: time)
            let value = sleeve.lastEquity
            total += value
            let now = value.doubleValue
            stepReturns[k] = previousEquity[k] > 0 ? now / previousEquity[k] - 1 : 0
            previousEquity[k] = now
            if !warmingUp { sleeveReturns[k].append(stepReturns[k]) }
        }
        equity.append(total, at: time)
        if let accountRisk { watchAccount(accountRisk, equity: total, at: time) }
        if steps == 0 { rebalances[0].timestamp = time }
        guard !warmingUp else { return }
        allocator.observe(returns: stepReturns)
        steps += 1
        sinceRebalance += 1
        guard sinceRebalance == rebalanceEvery else { return }
        sinceRebalance = 0
        weights = allocator.rebalance()
        let transfers = CapitalTransfers.plan(equity: sleeves.map(\.lastEquity), cash: sleeves.map { $0.context.cash },
                                              weights: weights)
        for (k, amount) in transfers.enumerated() where amount != .zero {
            sleeves[k].transfer(amount)
            previousEquity[k] = sleeves[k].context.equity.doubleValue
        }
        rebalances.append(CapitalRebalance(step: steps, timestamp: time, weights: weights, transfers: transfers))
    }

    /// The account-wide rules on the account's equity; a breaker that trips passes to every sleeve,
    /// and the kill switch flattens them all.
    private func watchAccount(_ risk: RiskEngine, equity total: Money, at time: Int64) {
        let now = Timestamp(nanoseconds: time)
        let day = venue.sessionDay(of: now, instrument: InstrumentID(0)).day
        let action = risk.onEquity(total.doubleValue, sessionDay: day, at: now)
        guard risk.state.account.state != .active else { return }
        let reason = risk.state.account.transitions.last?.reason ?? "account breaker"
        for sleeve in sleeves {
            sleeve.context.risk?.impose(account: risk.state.account.state, killSwitch: risk.state.killSwitchEngaged, at: now, reason: reason)
        }
        if case .flattenAll(let reason) = action {
            for sleeve in sleeves {
                sleeve.context.exits.liquidateAll(reason: "account " + reason)
                sleeve.dispatchEvents()
            }
        }
    }

    /// The account: the sleeves' cash, equity and positions added up.
    public var cash: Money { sleeves.reduce(.zero) { $0 + $1.context.cash } }
    public var accountEquity: Money { sleeves.reduce(.zero) { $0 + $1.context.equity } }
    /// Every sleeve's fills, in time order.
    public var fills: [Fill] {
        sleeves.flatMap(\.fills).enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
    }
    /// The sleeves' decision counts added up.
    public var decisionCounts: [String: Int] {
        sleeves.reduce(into: [:]) { total, sleeve in total.merge(sleeve.context.decisionCounts, uniquingKeysWith: +) }
    }
    public func position(_ instrument: InstrumentID) -> Quantity {
        sleeves.reduce(Quantity.zero) { $0 + $1.context.position(instrument).quantity }
    }

    /// The run so far: each sleeve's own result (its orders only) and the portfolio's.
    public func result(bars: Int) -> MultiStrategyResult {
        let sleeveResults = sleeves.enumerated().map { k, sleeve -> BacktestResult in
            var result = sleeve.result(bars: bars)
            result.orders = result.orders.filter { router.owner(of: $0.id) == k }
            return result
        }
        let returns = equity.periodReturns(initial: sleeveResults.reduce(.zero) { $0 + $1.account.initialCash })
        return MultiStrategyResult(
            names: names, sleeves: sleeveResults, equity: equity, rebalances: rebalances,
            statistics: ReturnStatistics(returns: returns, periodsPerYear: periodsPerYear),
            sleeveStatistics: sleeveReturns.map { ReturnStatistics(returns: $0, periodsPerYear: periodsPerYear) },
            sleeveReturns: sleeveReturns,
            allocator: allocator.thompson)
    }
}
