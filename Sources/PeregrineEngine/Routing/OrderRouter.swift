import PeregrineCore
import PeregrineRisk

/// The one way an order reaches the venue: through the pre-trade checks (`OrderChecks`), then the
/// risk engine when one is configured, then `venue.submit`, with the outcome logged as a decision
/// either way. Signals, explicit orders, resting protection and exit rules all route here, so
/// every order meets the same checks.
final class OrderRouter {
    let state: TradingState
    let venue: any ExecutionVenue
    let checks: OrderChecks
    /// The pre-trade risk layer, when configured.
    let risk: RiskEngine?
    let log: DecisionLog
    /// Reviews entries that passed the checks (`[veto]`); nil: every entry that passes goes out.
    var reviewer: (any EntryReviewer)?
    /// The account's gross exposure limit across its bots, asked before an entry; nil: none.
    var accountExposure: (any AccountExposureLimit)?

    init(state: TradingState, venue: any ExecutionVenue, checks: OrderChecks, risk: RiskEngine?, log: DecisionLog) {
        self.state = state
        self.venue = venue
        self.checks = checks
        self.risk = risk
        self.log = log
    }

    /// Checks and sends `request`, logging a submitted or rejected decision with `reason` (or the
    /// refusal's own). `pendingSell` is the sell quantity the checks count as already pending when
    /// that is not all the venue holds: a piece of resting protection is checked against other
    /// orders, not against the protection's other pieces.
    func send(_ request: OrderRequest, action: SignalAction?, reason: DecisionReason, note: String,
              pendingSell: Quantity? = nil) -> Result<OrderID, Rejection> {
        // Copied only when adapted, out of line: copying every request cost a few hundred
        // instructions an order.
        if Self.needsAdapting(request, to: state.instruments) {
            return sendAdapted(request, action: action, reason: reason, note: note, pendingSell: pendingSell)
        }
        return route(request, action: action, reason: reason, note: note, pendingSell: pendingSell)
    }

    /// `send` for a crypto day order, sent good till canceled.
    @inline(never)
    private func sendAdapted(_ request: OrderRequest, action: SignalAction?, reason: DecisionReason, note: String,
                             pendingSell: Quantity?) -> Result<OrderID, Rejection> {
        var adapted = request
        adapted.timeInForce = .gtc
        return route(adapted, action: action, reason: reason, note: note, pendingSell: pendingSell)
    }

    /// `send` for a request the venue takes as it is.
    private func route(_ request: OrderRequest, action: SignalAction?, reason: DecisionReason, note: String,
                       pendingSell: Quantity?) -> Result<OrderID, Rejection> {
        var note = note
        let i = request.instrument
        let now = state.now
        let result: Result<OrderID, Rejection>
        let known = state.instruments.indices.contains(i.index)
        let reference = known ? venue.lastClose(i) : nil
        if !known {
            result = .failure(Rejection(.unknownInstrument, "no instrument with index \(i.index)"))
        } else if state.entriesPaused, Self.opens(request, position: state.account.position(i).quantity) {
            result = .failure(Rejection(.pausedByOperator, "the bot is paused: no new entries; exits still run"))
        } else if let rejection = checks.check(
            request, position: state.account.position(i).quantity,
            pendingSell: pendingSell ?? venue.pendingQuantity(i, side: .sell), pendingBuyCost: pendingBuyCost(i),
            referencePrice: reference, cash: state.account.cash)
        {
            result = .failure(rejection)
        } else if let risk, let rejection = risk.check(
            request, instrument: i.index, position: state.account.position(i).quantity,
            price: request.limitPrice ?? reference ?? request.stopPrice ?? .zero, equity: state.equity.doubleValue, at: now)
        {
            result = .failure(rejection)
        } else if accountExposure != nil, let rejection = checkAccountExposure(request) {
            result = .failure(rejection)
        } else if reviewer != nil, let refusal = review(request, action: action, reason: reason, note: &note) {
            result = .failure(refusal)
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
            log.record(Decision(timestamp: now, instrument: i, action: action, outcome: .submitted, reason: reason,
                                detail: note, side: request.side, quantity: request.quantity, orderID: id))
        case .failure(let rejection):
            log.record(Decision(timestamp: now, instrument: i, action: action, outcome: .rejected,
                                reason: DecisionReason(rejection: rejection.code), detail: rejection.detail, side: request.side,
                                quantity: request.quantity))
        }
        return result
    }

    /// Asks the account's exposure limit about an order that opens or adds to a position: this bot's gross
    /// exposure (positions and working orders at the last closes) and the order's notional at its limit
    /// price or the last close.
    private func checkAccountExposure(_ request: OrderRequest) -> Rejection? {
        guard let accountExposure, Self.opens(request, position: state.account.position(request.instrument).quantity) else { return nil }
        guard let exposure = venue.grossExposure(positions: state.instruments.indices.map { state.account.position(InstrumentID($0)).quantity })
        else { return Rejection(.accountExposure, "this bot's exposure cannot be valued (a holding without a price, or beyond the books' range)") }
        guard let price = request.limitPrice ?? venue.lastClose(request.instrument) ?? request.stopPrice,
              let notional = price.magnitudeValue(of: request.quantity), (exposure + notional).isInRange else {
            return Rejection(.accountExposure, "the order's value cannot be known or is beyond the books' range")
        }
        return accountExposure.check(exposure: exposure, notional: notional)
    }

    /// Asks the reviewer about an entry (a signal's or an explicit order that opens or adds to a
    /// position; a person's orders and exits are never reviewed): the refusal when it is not allowed,
    /// else nil with the verdict added to the decision's note.
    private func review(_ request: OrderRequest, action: SignalAction?, reason: DecisionReason, note: inout String) -> Rejection? {
        guard let reviewer, reason == .openLong || reason == .openShort || reason == .order else { return nil }
        let i = request.instrument
        let position = state.account.position(i).quantity
        guard Self.opens(request, position: position) else { return nil }
        let history = state.series[i.index]
        let seen = state.visible[i.index]
        let bars = (max(0, seen - 20)..<seen).map { history[$0] }
        let entry = EntryReview(time: state.now, symbol: state.instruments[i.index].symbol, side: request.side, quantity: request.quantity,
                                price: venue.lastClose(i) ?? request.limitPrice ?? .zero, action: action.map { "\($0)" }, reason: reason.code,
                                note: note, position: position, cash: state.account.cash, equity: state.equity,
                                openPositions: state.account.positions.filter { !$0.isFlat }.count, recentBars: bars,
                                riskUse: risk.map { Self.use(of: $0, equity: state.equity.doubleValue) } ?? "no risk limits")
        guard let verdict = reviewer.review(entry) else { return nil }
        guard verdict.allowed else { return Rejection(verdict.kind == .veto ? .vetoed : .vetoUnavailable, verdict.detail) }
        note = note.isEmpty ? verdict.detail : note + "; " + verdict.detail
        return nil
    }

    /// The risk limits' use as a reviewer reads it: the day's P&L and the drawdown from the peak against
    /// their limits, the losing streak, the account's breaker.
    static func use(of risk: RiskEngine, equity: Double) -> String {
        func percent(_ x: Double?) -> String { x.map { String(format: "%.2f%%", $0 * 100) } ?? "n/a" }
        let day = risk.state.sessionStartEquity.flatMap { $0 > 0 ? equity / $0 - 1 : nil }
        let drawdown = risk.state.equityPeak.flatMap { $0 > 0 ? equity / $0 - 1 : nil }
        return "day P&L \(percent(day)) (limit -\(percent(risk.limits.dailyLossLimit))), drawdown \(percent(drawdown)) "
            + "(limit -\(percent(risk.limits.maxDrawdown))), losing streak \(risk.state.consecutiveLosses), "
            + "account breaker \(risk.state.account.state), kill switch \(risk.state.killSwitchEngaged ? "engaged" : "off")"
    }

    /// Whether the order opens or adds to a position (a buy from flat or long, a sell from flat or
    /// short, or one that reverses through flat) rather than only reducing it.
    static func opens(_ request: OrderRequest, position: Quantity) -> Bool {
        if position.isZero { return true }
        let long = position.units > 0
        return long == (request.side == .buy) || request.quantity > position.magnitude
    }

    /// Crypto has no sessions, and Alpaca takes only gtc or ioc for it: a day order for a crypto pair
    /// is sent good till canceled, in backtests as in trading, so both fill it alike.
    /// (A test rather than a function returning the adapted request, which copied every request.)
    static func needsAdapting(_ request: OrderRequest, to instruments: [Instrument]) -> Bool {
        request.timeInForce == .day && instruments.indices.contains(request.instrument.index)
            && instruments[request.instrument.index].assetClass == .crypto
    }

    /// What the working buy orders would cost at the latest close.
    private func pendingBuyCost(_ instrument: InstrumentID) -> Money {
        guard venue.hasOpenOrders(instrument), let reference = venue.lastClose(instrument) else { return .zero }
        return reference * venue.pendingQuantity(instrument, side: .buy)
    }
}
