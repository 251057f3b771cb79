import PeregrineCore
import PeregrineModels
import PeregrineRisk

/// Everything a strategy may see and do: the clock, the books, open orders, history, and two
/// ways to act. `signal` goes through the schedule, the entry sizing, the position-aware decision
/// gate and the pre-trade checks; `submit` sends an explicit order (brackets, limits, stops)
/// through the checks. Every call is recorded as a decision with its reason.
///
/// The context is the strategy's whole interface and only that: each job behind it is a part of
/// its own, which the kernel reaches directly (`state`, `scheduleGate`, `sizing`, `router`, `exits`,
/// `log`).
public final class StrategyContext {
    public let instruments: [Instrument]
    /// The pre-trade risk layer, when configured.
    public let risk: RiskEngine?
    /// The clock, the account, the marks and the bars seen so far.
    let state: TradingState
    let gate: DecisionGate
    let log: DecisionLog
    let scheduleGate: ScheduleGate
    let sizing: EntrySizing
    let router: OrderRouter
    let exits: PositionExits

    init(series: [BarSeries], barIntervals: [Int64], zones: [ZoneRule], account: Account, venue: any ExecutionVenue,
         gate: DecisionGate, checks: OrderChecks, risk: RiskEngine?, recordDecisions: Bool) {
        let state = TradingState(series: series, barIntervals: barIntervals, zones: zones, account: account)
        let log = DecisionLog(keepsDecisions: recordDecisions)
        let router = OrderRouter(state: state, venue: venue, checks: checks, risk: risk, log: log)
        self.instruments = state.instruments
        self.risk = risk
        self.state = state
        self.gate = gate
        self.log = log
        self.scheduleGate = ScheduleGate(state: state, log: log)
        self.sizing = EntrySizing(state: state, risk: risk)
        self.router = router
        self.exits = PositionExits(state: state, router: router, log: log)
    }

    // MARK: - What a strategy reads

    /// The time of the bar being processed.
    public var now: Timestamp { state.now }
    public var account: Account { state.account }
    /// Latest close of an instrument; zero before its first bar.
    public func mark(_ instrument: InstrumentID) -> Price { state.marks[instrument.index] }

    public var cash: Money { state.account.cash }
    /// Cash plus positions at their latest close.
    public var equity: Money { state.equity }
    public func position(_ instrument: InstrumentID) -> Position { state.account.position(instrument) }
    public func openOrders(_ instrument: InstrumentID) -> [Order] { router.venue.openOrders(instrument) }
    public func order(_ id: OrderID) -> Order? { router.venue.order(id) }
    public func history(_ instrument: InstrumentID) -> BarHistory { state.history(instrument) }

    /// The instrument's bars at a coarser timeframe, such as `.hours(1)` over 1-minute bars: only
    /// periods that have closed by the end of the instrument's latest bar, never the one still
    /// forming. At the bar stamped 10:58 (ending 10:59) the last 1H bar is 09:00; at the bar stamped
    /// 10:59, which ends at 11:00, the 10:00 bar joins, with the values `data resample` gives. The
    /// view is built on first request from the bars seen so far and caught up on each later one, in
    /// backtests and live alike; a strategy that never asks pays nothing per bar.
    ///
    /// Periods follow the clock of `zone`, by default the run's calendar (`--calendar`, else the
    /// asset class's: New York for US equities, UTC for crypto, forex and futures). Each bar joins
    /// the period its start falls in; with bars as long as the timeframe or longer, each is a
    /// period of its own.
    public func history(_ instrument: InstrumentID, timeframe: Timeframe, zone: ZoneRule? = nil) -> BarHistory {
        state.history(instrument, timeframe: timeframe, zone: zone)
    }

    /// The bar length the run assumes for an instrument, in nanoseconds: a bar ends this long after
    /// its stamp.
    public func barInterval(_ instrument: InstrumentID) -> Int64 { state.barIntervals[instrument.index] }
    public func instrument(_ id: InstrumentID) -> Instrument { instruments[id.index] }
    public var shortingAllowed: Bool { gate.allowShort }

    /// Every decision so far, in order (empty when the run keeps only the counts).
    public var decisions: [Decision] { log.decisions }
    /// Decision counts keyed `outcome:reason`, such as `rejected:shorting_disabled`, kept even when
    /// the decisions themselves are not.
    public var decisionCounts: [String: Int] { log.counts }
    /// The closed trades the `[sizing]` policy has learned from.
    public var tradeStats: SizingPolicy.TradeStats { sizing.tradeStats }

    // MARK: - What a strategy does

    /// A buy/sell/hold signal. The gate sizes exits to the whole position; `quantity` sizes entries.
    /// `plan`, when given, builds the order for an entry the gate allows (a bracket, a limit) from
    /// the side and size; exits are always market orders for the whole position.
    @discardableResult
    public func signal(_ action: SignalAction, _ instrument: InstrumentID, quantity: Quantity,
                       note: String = "", plan: ((OrderSide, Quantity) -> OrderRequest)? = nil) -> Decision.Outcome {
        if scheduleGate.holds(action, instrument, quantity: quantity, note: note, plan: plan) { return .held }
        let position = state.account.position(instrument).quantity
        let quantity = sizing.entrySize(action, instrument, requested: quantity, position: position)
        // Resting protection is not a pending exit: the strategy may still close the position.
        let pendingBuy = exits.pendingBesidesProtection(instrument, side: .buy)
        let pendingSell = exits.pendingBesidesProtection(instrument, side: .sell)
        switch gate.evaluate(action, requested: quantity, position: position, pendingBuy: pendingBuy, pendingSell: pendingSell) {
        case .hold(let reason):
            log.record(Decision(timestamp: state.now, instrument: instrument, action: action, outcome: .held, reason: reason,
                                detail: note))
            return .held
        case .reject(let rejection):
            log.record(Decision(timestamp: state.now, instrument: instrument, action: action, outcome: .rejected,
                                reason: DecisionReason(rejection: rejection.code), detail: rejection.detail, quantity: quantity))
            return .rejected
        case .order(let side, let size, let reason):
            let opens = reason == .openLong || reason == .openShort
            if !opens { exits.cancelProtection(instrument) }
            // Each branch builds its request in the call and returns: a request chosen through an
            // optional, or a result chosen by an `if` expression, was copied twice an order.
            if opens, let plan {
                if case .success = router.send(plan(side, size), action: action, reason: reason, note: note) { return .submitted }
                return .rejected
            }
            if case .success = router.send(.market(instrument, side, size), action: action, reason: reason, note: note) { return .submitted }
            return .rejected
        }
    }

    /// At a scheduled bar: the signal deferred since the last one, unless the strategy signaled afresh.
    func actOnDeferred(_ instrument: InstrumentID) {
        defer { scheduleGate.barDone(instrument) }
        guard let pending = scheduleGate.takeDeferred(instrument) else { return }
        let note = "deferred from \(pending.time)" + (pending.note.isEmpty ? "" : "; " + pending.note)
        signal(pending.action, instrument, quantity: pending.quantity, note: note, plan: pending.plan)
    }

    /// An explicit order, checked and sent; the result names the order (a group's first order) or
    /// the reason it was refused. `note` goes into the order's decision, so the audit trail says
    /// why the strategy sent it (a pair leg completed or unwound, a grid level, a quote).
    @discardableResult
    public func submit(_ request: OrderRequest, note: String = "") -> Result<OrderID, Rejection> {
        if let rejection = scheduleGate.refusal(of: request) { return .failure(rejection) }
        return router.send(request, action: nil, reason: .order, note: note)
    }

    // MARK: - Options

    /// The contracts the run lists on an instrument today, as the local exchange lists them: weekly
    /// Friday expirations over five weeks, strikes within 20% of the latest close.
    public func optionContracts(_ instrument: InstrumentID) -> [OCCSymbol] {
        let day = CivilDate(daysSinceEpoch: state.now.nanoseconds.floorDivided(by: Timestamp.nanosPerDay))
        return OptionListing().contracts(root: instruments[instrument.index].symbol, on: day, reference: state.marks[instrument.index])
    }

    /// The model's value and Greeks of a contract on one of the run's instruments now (per share),
    /// nil for another root or before the underlying's first bar.
    public func optionValuation(_ contract: OCCSymbol) -> OptionValuation? {
        guard let i = state.underlying(of: contract), state.visible[i] > 0 else { return nil }
        return state.optionPricing.valuation(contract, spot: state.marks[i], volatility: state.optionVolatility(i, closes: state.visible[i]),
                                             at: state.now)
    }

    /// The model's price of a contract now: what it is marked at.
    public func optionPrice(_ contract: OCCSymbol) -> Price { state.optionMark(contract) }

    /// Option positions held (quantities in shares, 100 a contract) and working option orders.
    public var options: OptionBook { state.options ?? OptionBook() }

    /// Sends an option order of `quantity` units of `legs` (one contract, or 2 to 4 legs on one
    /// underlying filled together); returns the order's number. Refused for a contract on another
    /// root, an expired one, or a quantity outside 1...10,000, the refusal logged as a decision.
    ///
    /// In a backtest it fills on the underlying's next bar at the model's price on its open. With a
    /// broker behind the venue (paper, live, the local exchange) it waits in the book as working
    /// until the broker fills it: the runtime sends it as an Alpaca option or `mleg` order and books
    /// what the broker reports. A portfolio's sleeves trade no options.
    @discardableResult
    public func submitOptions(_ legs: [OptionOrder.Leg], quantity: Int, note: String = "") -> Result<Int, Rejection> {
        let result = optionOrder(legs, quantity: quantity, note: note)
        if case .failure(let rejection) = result {
            let instrument = legs.first.flatMap { state.underlying(of: $0.contract) } ?? 0
            log.record(Decision(timestamp: state.now, instrument: InstrumentID(instrument), action: nil, outcome: .rejected,
                                reason: DecisionReason(rejection: rejection.code), detail: rejection.detail))
        }
        return result
    }

    private func optionOrder(_ legs: [OptionOrder.Leg], quantity: Int, note: String) -> Result<Int, Rejection> {
        let broker = router.venue as? BrokerVenue
        guard broker != nil || router.venue is SimulatedVenue else {
            return .failure(Rejection(.invalidOrder, "option orders go to a backtest's venue or a broker; a portfolio's sleeves trade no options"))
        }
        // As explicit stock orders: bars before the trading start only warm the strategy up.
        if let start = scheduleGate.tradingStart, state.now < start {
            return .failure(Rejection(.warmUp, "bars before \(start) only warm the strategy up"))
        }
        let day = CivilDate(daysSinceEpoch: state.now.nanoseconds.floorDivided(by: Timestamp.nanosPerDay))
        guard (1...10_000).contains(quantity) else { return .failure(Rejection(.invalidQuantity, "option quantity \(quantity): 1 to 10000 contracts")) }
        guard (1...4).contains(legs.count), Set(legs.map(\.contract.root)).count == 1, Set(legs.map(\.contract)).count == legs.count else {
            return .failure(Rejection(.invalidOrder, "an option order takes 1 to 4 different contracts on one underlying"))
        }
        for leg in legs {
            guard state.underlying(of: leg.contract) != nil else { return .failure(Rejection(.unknownInstrument, "\(leg.contract): no underlying \(leg.contract.root) in the run")) }
            guard leg.contract.expiration >= day else { return .failure(Rejection(.invalidOrder, "\(leg.contract) has expired")) }
            guard (1...100).contains(leg.ratio) else { return .failure(Rejection(.invalidQuantity, "\(leg.contract): ratio \(leg.ratio) must be 1 to 100")) }
        }
        if let risk, let refusal = optionRiskRefusal(legs, quantity: quantity, limits: risk.limits) { return .failure(refusal) }
        var book = state.options ?? OptionBook()
        let number = book.orders.count + 1
        let clientOrderID = broker?.optionClientOrderID(number) ?? "option-\(number)" + (note.isEmpty ? "" : " " + note)
        let order = OptionOrder(number: number, clientOrderID: clientOrderID, quantity: quantity, type: .market,
                                timeInForce: .day, limitPrice: nil, isMultiLeg: legs.count > 1, legs: legs, submittedAt: state.now)
        book.add(order)
        state.options = book
        broker?.queueOption(order)
        return .success(number)
    }

    /// The risk layer's view of an option order: the book's shares and contracts (each at its model
    /// delta and vega) before and after it, against the exposure, delta and vega limits; the first
    /// limit the order would break further, or nil.
    private func optionRiskRefusal(_ legs: [OptionOrder.Leg], quantity: Int, limits: RiskLimits) -> Rejection? {
        func line(_ contract: OCCSymbol, contracts: Double) -> OptionBookRisk.Line? {
            guard let i = state.underlying(of: contract), let value = optionValuation(contract) else { return nil }
            return .option(contract.root, contracts: contracts, spot: state.marks[i].doubleValue, delta: value.delta, vega: value.vega)
        }
        var before: [OptionBookRisk.Line] = instruments.indices.compactMap { i in
            let shares = state.account.positions[i].quantity
            return shares.isZero ? nil : .stock(instruments[i].symbol, shares: shares.doubleValue, spot: state.marks[i].doubleValue)
        }
        for (contract, position) in state.options?.positions ?? [:] {
            if let held = line(contract, contracts: Double(OptionBook.contracts(position))) { before.append(held) }
        }
        let added = legs.compactMap { line($0.contract, contracts: Double(quantity * $0.ratio) * ($0.side == .buy ? 1 : -1)) }
        return OptionBookRisk(limits: limits).problems(before + added, equity: state.equity.doubleValue, before: before).first
    }

    /// Cancels a working order.
    @discardableResult
    public func cancel(_ id: OrderID) -> Rejection? { router.venue.cancel(id, at: state.now) }
}
