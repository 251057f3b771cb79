import PeregrineCore
import PeregrineIndicators
import PeregrineRisk

/// Everything a strategy may see and do: the clock, the books, open orders, history, and two
/// ways to act. `signal` goes through the position-aware decision gate and the pre-trade checks;
/// `submit` sends an explicit order (brackets, limits, stops) through the checks. Every call is
/// recorded as a decision with its reason.
public final class StrategyContext {
    public let instruments: [Instrument]
    /// The time of the bar being processed.
    @exclusivity(unchecked) public internal(set) var now: Timestamp = Timestamp(nanoseconds: 0)
    @exclusivity(unchecked) public internal(set) var account: Account
    let venue: any ExecutionVenue
    /// Latest close per instrument (zero before its first bar), in a buffer the kernel writes
    /// every bar without copy-on-write checks.
    let marks: UnsafeMutableBufferPointer<Price>
    /// Bars known so far per instrument; live trading appends as bars arrive.
    @exclusivity(unchecked) var series: [BarSeries]
    /// Orders before this time are refused as `warm_up` (history that only warms indicators).
    @exclusivity(unchecked) var tradingStart: Timestamp?
    /// Whether the bot's schedule acts on the current bar (set by the kernel before each bar).
    @exclusivity(unchecked) var onSchedule = true
    @exclusivity(unchecked) var schedule: TradingSchedule?
    /// Per instrument, the latest signal held off schedule: the bot acts on it at its next scheduled
    /// bar unless the strategy signals afresh there (what a bot that looks every N minutes would see).
    @exclusivity(unchecked) var deferred: [Int: DeferredSignal] = [:]
    /// Instruments that signaled on the current bar.
    @exclusivity(unchecked) var signaledNow: Set<Int> = []
    /// The `[sizing]` policy, when it replaces the strategies' own entry sizes, and the closed trades it learns from.
    @exclusivity(unchecked) var sizing: SizingPolicy?
    @exclusivity(unchecked) public internal(set) var tradeStats = SizingPolicy.TradeStats()

    struct DeferredSignal {
        var action: SignalAction
        var quantity: Quantity
        var note: String
        var plan: ((OrderSide, Quantity) -> OrderRequest)?
        var time: Timestamp
    }
    /// Bars visible per instrument.
    let visible: UnsafeMutableBufferPointer<Int>
    let gate: DecisionGate
    let checks: OrderChecks
    /// The pre-trade risk layer, when configured.
    public let risk: RiskEngine?
    let recordDecisions: Bool
    @exclusivity(unchecked) public internal(set) var decisions: [Decision] = []
    /// Decisions counted by outcome and reason, kept even when the decisions themselves are not.
    /// A short list scanned linearly: a run meets a handful of reasons, and comparing two of them is
    /// far cheaper than hashing on every decision.
    @exclusivity(unchecked) var decisionTally: [(outcome: Decision.Outcome, reason: DecisionReason, count: Int)] = []

    /// Decision counts keyed `outcome:reason`, such as `rejected:shorting_disabled`.
    public var decisionCounts: [String: Int] {
        Dictionary(decisionTally.map { ("\($0.outcome.rawValue):\($0.reason.code)", $0.count) }, uniquingKeysWith: +)
    }

    init(series: [BarSeries], account: Account, venue: any ExecutionVenue, gate: DecisionGate, checks: OrderChecks,
         risk: RiskEngine?, recordDecisions: Bool) {
        self.risk = risk
        self.series = series
        self.instruments = series.map(\.instrument)
        self.account = account
        self.venue = venue
        self.marks = .allocate(capacity: series.count)
        self.marks.initialize(repeating: .zero)
        self.visible = .allocate(capacity: series.count)
        self.visible.initialize(repeating: 0)
        self.gate = gate
        self.checks = checks
        self.recordDecisions = recordDecisions
    }

    deinit {
        marks.deallocate()
        visible.deallocate()
    }

    // MARK: - What a strategy reads

    /// Latest close of an instrument; zero before its first bar.
    public func mark(_ instrument: InstrumentID) -> Price { marks[instrument.index] }

    public var cash: Money { account.cash }
    /// Cash plus positions at their latest close.
    public var equity: Money {
        var total = account.cash
        for (index, position) in account.positions.enumerated() where !position.isFlat {
            total += marks[index] * position.quantity
        }
        return total
    }
    public func position(_ instrument: InstrumentID) -> Position { account.position(instrument) }
    public func openOrders(_ instrument: InstrumentID) -> [Order] { venue.openOrders(instrument) }
    public func order(_ id: OrderID) -> Order? { venue.order(id) }
    public func history(_ instrument: InstrumentID) -> BarHistory {
        BarHistory(series: series[instrument.index], visibleCount: visible[instrument.index])
    }
    public func instrument(_ id: InstrumentID) -> Instrument { instruments[id.index] }
    public var shortingAllowed: Bool { gate.allowShort }

    // MARK: - What a strategy does

    /// A buy/sell/hold signal. The gate sizes exits to the whole position; `quantity` sizes entries.
    /// `plan`, when given, builds the order for an entry the gate allows (a bracket, a limit) from
    /// the side and size; exits are always market orders for the whole position.
    @discardableResult
    public func signal(_ action: SignalAction, _ instrument: InstrumentID, quantity: Quantity,
                       note: String = "", plan: ((OrderSide, Quantity) -> OrderRequest)? = nil) -> Decision.Outcome {
        if let start = tradingStart, now < start {
            record(Decision(timestamp: now, instrument: instrument, action: action, outcome: .held, reason: .warmUp, detail: note))
            return .held
        }
        if schedule != nil { signaledNow.insert(instrument.index) }
        if !onSchedule {
            deferred[instrument.index] = DeferredSignal(action: action, quantity: quantity, note: note, plan: plan, time: now)
            record(Decision(timestamp: now, instrument: instrument, action: action, outcome: .held, reason: .offSchedule,
                            detail: "the bot acts \(schedule?.description ?? "on schedule")" + (note.isEmpty ? "" : "; " + note)))
            return .held
        }
        let position = account.position(instrument).quantity
        var quantity = quantity
        if let sizing, position.isZero, (action == .buy || action == .sell),
           let units = sizing.units(equity: equity.doubleValue, price: marks[instrument.index].doubleValue, stats: tradeStats,
                                    annualVolatility: sizing.method == .volatilityTarget ? annualVolatility(instrument, window: sizing.volatilityWindow) : nil) {
            // The [sizing] policy replaces the strategy's entry size.
            quantity = units.isFinite && units > 0
                ? Quantity(approximating: units).rounded(downToLot: instruments[instrument.index].lotSize) : .zero
        }
        if let risk, risk.sizeMultiplier < 1, position.isZero {
            // The losing-streak cut: entries shrink until a winner.
            quantity = Quantity(approximating: quantity.doubleValue * risk.sizeMultiplier)
                .rounded(downToLot: instruments[instrument.index].lotSize)
        }
        // Resting protection is not a pending exit: the strategy may still close the position.
        let pendingBuy = pendingBesidesProtection(instrument, side: .buy)
        let pendingSell = pendingBesidesProtection(instrument, side: .sell)
        let verdict = gate.evaluate(action, requested: quantity, position: position, pendingBuy: pendingBuy, pendingSell: pendingSell)
        switch verdict {
        case .hold(let reason):
            record(Decision(timestamp: now, instrument: instrument, action: action, outcome: .held, reason: reason,
                            detail: note))
            return .held
        case .reject(let rejection):
            record(Decision(timestamp: now, instrument: instrument, action: action, outcome: .rejected,
                            reason: DecisionReason(rejection: rejection.code), detail: rejection.detail, quantity: quantity))
            return .rejected
        case .order(let side, let size, let reason):
            let opens = reason == .openLong || reason == .openShort
            if !opens && !protective.isEmpty { cancelProtection(instrument) }
            let request = opens ? plan?(side, size) ?? .market(instrument, side, size) : .market(instrument, side, size)
            if case .success = send(request, action: action, reason: reason, note: note) { return .submitted }
            return .rejected
        }
    }

    /// Pending quantity on one side, less the resting protection's share of it.
    private func pendingBesidesProtection(_ instrument: InstrumentID, side: OrderSide) -> Quantity {
        var pending = venue.pendingQuantity(instrument, side: side)
        if !protective.isEmpty, let ids = protective[instrument.index] {
            for id in ids {
                guard let order = venue.order(id), order.side == side, order.status.isWorking, order.status != .pendingCancel,
                      venue.countsAsPending(order, side: side) else { continue }
                pending -= order.remainingQuantity
            }
        }
        return pending
    }

    /// At a scheduled bar: the signal deferred since the last one, unless the strategy signaled afresh.
    func actOnDeferred(_ instrument: InstrumentID) {
        defer { signaledNow.remove(instrument.index) }
        guard let pending = deferred.removeValue(forKey: instrument.index), !signaledNow.contains(instrument.index) else { return }
        let note = "deferred from \(pending.time)" + (pending.note.isEmpty ? "" : "; " + pending.note)
        signal(pending.action, instrument, quantity: pending.quantity, note: note, plan: pending.plan)
    }

    /// An explicit order, checked and sent; the result names the order (a group's first order) or
    /// the reason it was refused.
    @discardableResult
    public func submit(_ request: OrderRequest) -> Result<OrderID, Rejection> {
        if let start = tradingStart, now < start {
            let rejection = Rejection(.warmUp, "bars before \(start) only warm the strategy up")
            record(Decision(timestamp: now, instrument: request.instrument, action: nil, outcome: .held, reason: .warmUp,
                            detail: rejection.detail, side: request.side, quantity: request.quantity))
            return .failure(rejection)
        }
        if !onSchedule {
            let rejection = Rejection(.offSchedule, "the bot acts \(schedule?.description ?? "on schedule")")
            record(Decision(timestamp: now, instrument: request.instrument, action: nil, outcome: .held, reason: .offSchedule,
                            detail: rejection.detail, side: request.side, quantity: request.quantity))
            return .failure(rejection)
        }
        return send(request, action: nil, reason: .order, note: "")
    }

    /// Cancels a working order.
    @discardableResult
    public func cancel(_ id: OrderID) -> Rejection? { venue.cancel(id, at: now) }

    private func send(_ request: OrderRequest, action: SignalAction?, reason: DecisionReason, note: String)
        -> Result<OrderID, Rejection>
    {
        let i = request.instrument
        let result: Result<OrderID, Rejection>
        if !instruments.indices.contains(i.index) {
            result = .failure(Rejection(.unknownInstrument, "no instrument with index \(i.index)"))
        } else if let rejection = checks.check(
            request, position: account.position(i).quantity,
            // A piece of the protection is checked against other orders, not the protection's other pieces.
            pendingSell: reason == .restingExit ? pendingBesidesProtection(i, side: .sell) : venue.pendingQuantity(i, side: .sell),
            pendingBuyCost: pendingBuyCost(i),
            referencePrice: venue.lastClose(i), cash: account.cash)
        {
            result = .failure(rejection)
        } else if let risk, let rejection = risk.check(
            request, instrument: i.index, position: account.position(i).quantity,
            price: request.limitPrice ?? venue.lastClose(i) ?? request.stopPrice ?? .zero, equity: equity.doubleValue, at: now)
        {
            result = .failure(rejection)
        } else {
            result = venue.submit(request, at: now)
            if let risk, case .success = result {
                risk.recordSubmission(at: now)
                if let stop = request.stopLoss ?? ((request.type == .stop || request.type == .stopLimit) ? request.stopPrice : nil) {
                    risk.registerStop(instrument: i.index, price: stop)
                }
            }
        }
        switch result {
        case .success(let id):
            record(Decision(timestamp: now, instrument: i, action: action, outcome: .submitted, reason: reason,
                            detail: note, side: request.side, quantity: request.quantity, orderID: id))
        case .failure(let rejection):
            record(Decision(timestamp: now, instrument: i, action: action, outcome: .rejected,
                            reason: DecisionReason(rejection: rejection.code), detail: rejection.detail, side: request.side,
                            quantity: request.quantity))
        }
        return result
    }

    /// Bars per year, to annualize volatility (set by the kernel).
    @exclusivity(unchecked) var periodsPerYear = 252.0

    /// Annualized standard deviation of the last `window` log returns of the closes seen so far
    /// (nil with fewer than `window` + 1 closes). Computed on an entry only, so it replays the closes.
    func annualVolatility(_ instrument: InstrumentID, window: Int) -> Double? {
        let closes = history(instrument).closes(last: window + 1)
        guard window >= 2, closes.count == window + 1 else { return nil }
        var rolling = RollingVolatility(window: window)
        var perBar: Double?
        for close in closes { perBar = rolling.update(close) }
        return perBar.map { $0 * periodsPerYear.squareRoot() }
    }

    /// Resting protective orders per instrument (`[exits] resting`).
    @exclusivity(unchecked) var protective: [Int: [OrderID]] = [:]

    /// Rests a stop-loss and take-profit as orders for `quantity` of the position (nil: what the
    /// pieces rested so far leave of it): an OCO pair when both are set, else a single stop or limit.
    /// Prices are rounded to the tick away from the position's favour for the stop and toward it for
    /// the target.
    func protect(_ instrument: InstrumentID, quantity piece: Double?, stop: Double?, target: Double?) {
        let position = account.position(instrument).quantity
        guard !position.isZero else { return }
        var covered = Quantity.zero
        for id in protective[instrument.index] ?? [] {
            if let order = venue.order(id), order.status.isWorking, order.legRole != .stopLoss { covered += order.remainingQuantity }
        }
        let rest = position.magnitude - covered
        let quantity = piece.map { min(Quantity(approximating: $0).rounded(downToLot: instruments[instrument.index].lotSize), rest) } ?? rest
        guard quantity.units > 0 else { return }
        let long = position.units > 0
        let side: OrderSide = long ? .sell : .buy
        let tick = instruments[instrument.index].tickSize
        let stopPrice = stop.map { Price(approximating: $0).rounded(toTick: tick, up: !long) }
        let limit = target.map { Price(approximating: $0).rounded(toTick: tick, up: long) }
        let request: OrderRequest
        switch (stopPrice, limit) {
        case (let stop?, let limit?):
            request = OrderRequest(instrument: instrument, side: side, quantity: quantity, type: .limit, timeInForce: .gtc,
                                   limitPrice: limit, orderClass: .oco, takeProfit: limit, stopLoss: stop)
        case (let stop?, nil):
            request = OrderRequest(instrument: instrument, side: side, quantity: quantity, type: .stop, timeInForce: .gtc, stopPrice: stop)
        case (nil, let limit?):
            request = OrderRequest(instrument: instrument, side: side, quantity: quantity, type: .limit, timeInForce: .gtc, limitPrice: limit)
        case (nil, nil):
            return
        }
        let known = venue.orders.count
        if case .success = send(request, action: nil, reason: .restingExit,
                                note: "\(quantity) with stop \(stopPrice?.description ?? "none"), target \(limit?.description ?? "none")") {
            protective[instrument.index, default: []] += (known..<venue.orders.count).map(OrderID.init)
        }
    }

    /// Cancels the instrument's resting protective orders still working.
    func cancelProtection(_ instrument: InstrumentID) {
        guard !protective.isEmpty, let ids = protective.removeValue(forKey: instrument.index) else { return }
        for id in ids where venue.order(id)?.status.isWorking == true { _ = venue.cancel(id, at: now) }
    }

    /// Closes `quantity` of a position at market for an exit rule (all of it cancels the
    /// instrument's working orders first), logged as a decision with the rule's reason.
    /// Resting protective orders are canceled first; the kernel rests new ones for what remains.
    func exit(_ instrument: InstrumentID, quantity: Double, reason: ExitReason, detail: String) {
        cancelProtection(instrument)
        let position = account.position(instrument).quantity
        guard !position.isZero, venue.pendingQuantity(instrument, side: position.units > 0 ? .sell : .buy).isZero else { return }
        var size = Quantity(approximating: quantity).rounded(downToLot: instruments[instrument.index].lotSize)
        if size >= position.magnitude {
            size = position.magnitude
            for order in venue.openOrders(instrument) { _ = venue.cancel(order.id, at: now) }
        }
        guard size.units > 0 else { return }
        let request = OrderRequest.market(instrument, position.units > 0 ? .sell : .buy, size, timeInForce: .gtc)
        _ = send(request, action: nil, reason: .exit(reason), note: detail)
    }

    /// Cancels every working order and closes every position at market, past all checks: the
    /// kill switch's flatten. Each order is logged as a decision with `reason`.
    func liquidateAll(reason: String) {
        for index in instruments.indices {
            let id = InstrumentID(index)
            for order in venue.openOrders(id) { _ = venue.cancel(order.id, at: now) }
            let quantity = account.position(id).quantity
            guard !quantity.isZero else { continue }
            let request = OrderRequest.market(id, quantity.units > 0 ? .sell : .buy, quantity.magnitude, timeInForce: .gtc)
            let result = venue.submit(request, at: now)
            record(Decision(timestamp: now, instrument: id, action: nil,
                            outcome: result.isSuccess ? .submitted : .rejected, reason: .killSwitchFlatten, detail: reason,
                            side: request.side, quantity: request.quantity, orderID: try? result.get()))
        }
    }

    private func pendingBuyCost(_ instrument: InstrumentID) -> Money {
        guard let reference = venue.lastClose(instrument) else { return .zero }
        return reference * venue.pendingQuantity(instrument, side: .buy)
    }

    private func record(_ decision: Decision) {
        if let index = decisionTally.firstIndex(where: { $0.outcome == decision.outcome && $0.reason == decision.reason }) {
            decisionTally[index].count += 1
        } else {
            decisionTally.append((decision.outcome, decision.reason, 1))
        }
        if recordDecisions { decisions.append(decision) }
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
