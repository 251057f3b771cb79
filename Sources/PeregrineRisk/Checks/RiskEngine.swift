import PeregrineCore
import PeregrineIndicators

/// The pre-trade risk layer: the same checks in backtest, paper and live, each refusal with a
/// reason code. It mirrors positions, marks and stops from the kernel's events (`onBar`,
/// `onPositionChange`, `registerStop`) so a check reads only its own arrays; `onEquity` runs the
/// daily-loss and drawdown rules once per time step. Orders that reduce risk (exits) pass
/// everything but a halt, the price band and the rate limit.
public final class RiskEngine {
    public let limits: RiskLimits
    public let symbols: [String]
    @exclusivity(unchecked) public private(set) var state: RiskState
    /// Name of the strategy whose breaker `strategyBreaker` is.
    public let strategy: String
    @exclusivity(unchecked) private var positions: [Double]
    /// Per instrument, the latest close, the bars seen and the recent returns: written on every bar,
    /// so held in buffers allocated once (an array property checks uniqueness on every write).
    private let marks: UnsafeMutableBufferPointer<Double>
    @exclusivity(unchecked) private var stops: [Double?]
    private let bars: UnsafeMutableBufferPointer<Int>
    private let returns: UnsafeMutableBufferPointer<LagBuffer<Double>>
    @exclusivity(unchecked) private var group: [Int?]
    @exclusivity(unchecked) private var submissions: LagBuffer<Int64>?
    /// Correlation rows computed since the last bar, by instrument: reused by every check until
    /// new returns arrive.
    @exclusivity(unchecked) private var correlationRows: [[Double?]?]
    @exclusivity(unchecked) private var correlationRowsValid = false
    /// Per-instrument copies of the persisted per-symbol state, so a check does no string hashing.
    @exclusivity(unchecked) private var pausedUntil: [Int64]
    @exclusivity(unchecked) private var lastExitTime: [Int64?]
    @exclusivity(unchecked) private var lastExitBar: [Int?]

    public init(limits: RiskLimits, symbols: [String], strategy: String = "strategy", state: RiskState = RiskState()) {
        self.limits = limits
        self.symbols = symbols
        self.strategy = strategy
        self.state = state
        let n = symbols.count
        positions = Array(repeating: 0, count: n)
        marks = .allocate(capacity: n)
        marks.initialize(repeating: 0)
        stops = Array(repeating: nil, count: n)
        bars = .allocate(capacity: n)
        bars.initialize(repeating: 0)
        returns = .allocate(capacity: n)
        returns.initialize(repeating: LagBuffer(capacity: max(2, limits.correlation?.window ?? 2, limits.valueAtRisk?.window ?? 2),
                                                filler: 0))
        group = symbols.map { symbol in limits.underlyingGroups.firstIndex { $0.contains(symbol) } }
        submissions = limits.maxOrdersPerMinute.map { LagBuffer(capacity: $0, filler: 0) }
        correlationRows = Array(repeating: nil, count: n)
        pausedUntil = symbols.map { state.pausedUntil[$0] ?? .min }
        lastExitTime = symbols.map { state.lastExitTime[$0] }
        lastExitBar = symbols.map { state.lastExitBar[$0] }
    }

    deinit {
        marks.deallocate()
        bars.deallocate()
        _ = returns.deinitialize()
        returns.deallocate()
    }

    public var strategyBreaker: CircuitBreaker { state.strategies[strategy] ?? CircuitBreaker() }

    // MARK: - Events from the kernel

    /// A bar's close for an instrument: the mark, the bar count and the return for correlations.
    public func onBar(instrument: Int, close: Price) {
        let value = close.doubleValue
        if marks[instrument] > 0 && (limits.correlation != nil || limits.valueAtRisk != nil) {
            returns[instrument].push(value / marks[instrument] - 1)
        }
        marks[instrument] = value
        bars[instrument] += 1
        if correlationRowsValid {
            for k in correlationRows.indices { correlationRows[k] = nil }
            correlationRowsValid = false
        }
    }

    /// Closes of bars `from..<to` of one instrument, in order: what `onBar` does for each of them
    /// (the kernel's fast path over bars on which nothing else happens).
    public func onBars(instrument: Int, closes: UnsafeBufferPointer<Int64>, from: Int, to: Int) {
        guard to > from else { return }
        if limits.correlation != nil || limits.valueAtRisk != nil {
            // A return needs a mark before it: the first bar of all has none.
            var start = from
            if marks[instrument] <= 0 {
                marks[instrument] = Price(units: closes[from]).doubleValue
                start += 1
            }
            let previous = marks[instrument]
            returns[instrument].push(count: to - start) { j in
                let k = start + j
                let mark = k == start ? previous : Price(units: closes[k - 1]).doubleValue
                return Price(units: closes[k]).doubleValue / mark - 1
            }
        }
        marks[instrument] = Price(units: closes[to - 1]).doubleValue
        bars[instrument] += to - from
        if correlationRowsValid {
            for k in correlationRows.indices { correlationRows[k] = nil }
            correlationRowsValid = false
        }
    }

    /// Equities of consecutive time steps of one session day, in order: what `onEquity` does for
    /// each (the kernel's fast path over bars on which nothing else happens). The first, and any at
    /// which a rule moves a breaker, go through `onEquity`; between them only the peak moves. Returns
    /// the first action `onEquity` asked for, and stops there (the kernel looks for the kill switch
    /// first, so it gets `.none`).
    public func onEquities(_ equities: UnsafeBufferPointer<Double>, sessionDay: Int64,
                           times: (Int) -> Timestamp) -> Action {
        guard !equities.isEmpty else { return .none }
        let first = onEquity(equities[0], sessionDay: sessionDay, at: times(0))
        if case .flattenAll = first { return first }
        var peak = state.equityPeak
        for k in 1..<equities.count {
            let equity = equities[k]
            let high = max(peak ?? equity, equity)
            // The two rules' conditions, as `onEquity` reads them; the breakers' states only when one holds.
            let moves = (crossesDailyLoss(equity) && state.account.state == .active)
                || (crossesDrawdown(equity, peak: high) && !state.killSwitchEngaged)
            guard moves else {
                peak = high
                continue
            }
            state.equityPeak = peak
            let action = onEquity(equity, sessionDay: sessionDay, at: times(k))
            peak = state.equityPeak
            if case .flattenAll = action { return action }
        }
        state.equityPeak = peak
        return .none
    }

    /// The first of these equities, in order, at which `onEquity` would engage the kill switch, or
    /// nil; nothing changes. The kernel asks before it lets a strategy skip bars, so that no skipped
    /// bar is one on which the books had to be flattened.
    public func firstKillSwitch(_ equities: UnsafeBufferPointer<Double>) -> Int? {
        guard limits.maxDrawdown != nil, !state.killSwitchEngaged else { return nil }
        var peak = state.equityPeak
        for (k, equity) in equities.enumerated() {
            let high = max(peak ?? equity, equity)
            if crossesDrawdown(equity, peak: high) { return k }
            peak = high
        }
        return nil
    }

    /// Works out instrument `i`'s correlation row unless it is cached since the last bar. The check
    /// then reads the cached row in place: returning it would copy the array, and the retain and
    /// release of that copy were a fifth of a check's time.
    private func cacheCorrelations(of i: Int) {
        guard correlationRows[i] == nil else { return }
        correlationRows[i] = symbols.indices.map { j in j == i ? 1.0 : Self.correlation(returns[i], returns[j]) }
        correlationRowsValid = true
    }

    /// A position changed by a fill. `viaStop` marks an exit by a stop order; `closedTripPnL` is the
    /// net P&L of a round trip this fill closed.
    public func onPositionChange(instrument: Int, from: Quantity, to: Quantity, at time: Timestamp, viaStop: Bool,
                                 closedTripPnL: Double?) {
        positions[instrument] = to.doubleValue
        let symbol = symbols[instrument]
        if to.isZero && !from.isZero {
            stops[instrument] = nil
            state.lastExitTime[symbol] = time.nanoseconds
            state.lastExitBar[symbol] = bars[instrument]
            lastExitTime[instrument] = time.nanoseconds
            lastExitBar[instrument] = bars[instrument]
            if viaStop, let guardLimit = limits.stoplossGuard {
                var recent = (state.stopOutTimes[symbol] ?? []).filter { time.nanoseconds - $0 <= guardLimit.windowSeconds * 1_000_000_000 }
                recent.append(time.nanoseconds)
                state.stopOutTimes[symbol] = recent
                if recent.count >= guardLimit.stopOuts {
                    state.pausedUntil[symbol] = time.nanoseconds + guardLimit.pauseSeconds * 1_000_000_000
                    pausedUntil[instrument] = time.nanoseconds + guardLimit.pauseSeconds * 1_000_000_000
                    state.stopOutTimes[symbol] = []
                }
            }
        }
        if let pnl = closedTripPnL {
            if pnl < 0 { state.consecutiveLosses += 1 } else if pnl > 0 { state.consecutiveLosses = 0 }
            if pnl < 0, let breaker = limits.strategyBreaker {
                let losses = state.consecutiveLosses
                if let halt = breaker.haltAfterLosses, losses >= halt {
                    state.strategies[strategy, default: CircuitBreaker()].move(
                        to: .halted, at: time, reason: "strategy_breaker: \(losses) losing round trips in a row, halt at \(halt)")
                } else if let reduce = breaker.reduceAfterLosses, losses >= reduce, strategyBreaker.state == .active {
                    state.strategies[strategy, default: CircuitBreaker()].move(
                        to: .reducingOnly, at: time, reason: "strategy_breaker: \(losses) losing round trips in a row, reduce at \(reduce)")
                }
            }
        }
    }

    /// The stop protecting an instrument's position (for portfolio heat).
    public func registerStop(instrument: Int, price: Price) { stops[instrument] = price.doubleValue }

    /// What the kernel must do after an equity update.
    public enum Action: Equatable, Sendable {
        case none
        /// The drawdown kill switch fired: close every position now.
        case flattenAll(reason: String)
    }

    /// Runs the session and equity rules: a new session resets the daily loss and lifts a
    /// reducing-only breaker; the daily loss limit makes the account reducing-only; the drawdown
    /// limit engages the kill switch (halted until `resume`).
    public func onEquity(_ equity: Double, sessionDay: Int64, at time: Timestamp) -> Action {
        if state.sessionDay != sessionDay {
            state.sessionDay = sessionDay
            state.sessionStartEquity = equity
            if state.account.state == .reducingOnly && !state.killSwitchEngaged {
                state.account.move(to: .active, at: time, reason: "new session")
            }
            if strategyBreaker.state == .reducingOnly {
                state.strategies[strategy]?.move(to: .active, at: time, reason: "new session")
            }
        }
        let peak = max(state.equityPeak ?? equity, equity)
        state.equityPeak = peak
        if let limit = limits.dailyLossLimit, let start = state.sessionStartEquity, crossesDailyLoss(equity),
           state.account.state == .active {
            state.account.move(to: .reducingOnly, at: time,
                               reason: "daily_loss_limit: down \(percent((start - equity) / start)) today, limit \(percent(limit))")
        }
        if let limit = limits.maxDrawdown, crossesDrawdown(equity, peak: peak), !state.killSwitchEngaged {
            state.killSwitchEngaged = true
            let reason = "kill_switch: drawdown \(percent((peak - equity) / peak)) from peak, limit \(percent(limit))"
            state.account.move(to: .halted, at: time, reason: reason)
            return .flattenAll(reason: reason)
        }
        return .none
    }

    /// The daily loss limit's condition: down at least the limit since the session's start.
    @inline(__always) private func crossesDailyLoss(_ equity: Double) -> Bool {
        guard let limit = limits.dailyLossLimit, let start = state.sessionStartEquity, start > 0 else { return false }
        return (start - equity) / start >= limit
    }

    /// The kill switch's condition: down at least the drawdown limit from `peak`.
    @inline(__always) private func crossesDrawdown(_ equity: Double, peak: Double) -> Bool {
        guard let limit = limits.maxDrawdown, peak > 0 else { return false }
        return (peak - equity) / peak >= limit
    }

    /// Capital moved in or out of these books (a portfolio rebalancing its sleeves) is no profit or
    /// loss: the session's start and the peak scale with the equity, so drawdown and today's loss
    /// stay the shares they were.
    public func onTransfer(equityBefore: Double, equityAfter: Double) {
        guard equityBefore > 0, equityAfter.isFinite else { return }
        let factor = equityAfter / equityBefore
        state.sessionStartEquity = state.sessionStartEquity.map { $0 * factor }
        state.equityPeak = state.equityPeak.map { $0 * factor }
    }

    /// A portfolio's account-wide breaker over this sleeve's books: the account's stricter state
    /// (reducing-only after its daily loss, halted by its kill switch) becomes this engine's, with the
    /// account's reason; a looser one changes nothing (the sleeve's own rules loosen it, as ever).
    public func impose(account: CircuitBreaker.State, killSwitch: Bool, at time: Timestamp, reason: String) {
        func rank(_ state: CircuitBreaker.State) -> Int { state == .active ? 0 : state == .reducingOnly ? 1 : 2 }
        if killSwitch { state.killSwitchEngaged = true }
        if rank(account) > rank(state.account.state) { state.account.move(to: account, at: time, reason: "account: " + reason) }
    }

    /// A person resumes trading after the kill switch (or any halt).
    public func resume(at time: Timestamp, by person: String) { state.resume(at: time, by: person) }

    /// Entry sizes are multiplied by this (the losing-streak cut).
    public var sizeMultiplier: Double {
        guard let streak = limits.losingStreak, state.consecutiveLosses >= streak.after else { return 1 }
        return streak.multiplier
    }

    // MARK: - The check

    /// Checks one order. `position` is the instrument's signed position, `price` the price the
    /// order is expected to trade at, `equity` the account's current equity.
    public func check(_ request: OrderRequest, instrument i: Int, position: Quantity, price: Price, equity: Double,
                      at time: Timestamp) -> Rejection? {
        let quantity = request.quantity.doubleValue
        let signed = request.side == .buy ? quantity : -quantity
        let current = position.doubleValue
        let after = current + signed
        let addsRisk = abs(after) > abs(current) || (after != 0 && (after > 0) != (current > 0) && current != 0)
        let value = price.doubleValue

        if let maximum = limits.maxOrdersPerMinute, let window = submissions, window.count == maximum,
           time.nanoseconds - window[ago: maximum - 1] < 60_000_000_000 {
            return Rejection(.rateLimit, "more than \(maximum) orders in one minute")
        }
        if let band = limits.priceBand, marks[i] > 0 {
            if let problem = bandProblem("limit", request.limitPrice, last: marks[i], band: band)
                ?? bandProblem("stop", request.stopPrice, last: marks[i], band: band) { return problem }
        }
        guard addsRisk else {
            return state.account.allowsExits ? nil
                : Rejection(.killSwitch, "account halted (\(state.account.transitions.last?.reason ?? "halted")); exits wait for a person to resume")
        }
        switch state.account.state {
        case .halted:
            return Rejection(state.killSwitchEngaged ? .killSwitch : .circuitBreaker,
                             state.account.transitions.last?.reason ?? "account halted")
        case .reducingOnly:
            return Rejection(.dailyLossLimit, state.account.transitions.last?.reason ?? "account is reducing-only")
        case .active:
            break
        }
        if !state.strategies.isEmpty, !strategyBreaker.allowsEntries {
            return Rejection(.circuitBreaker, "strategy \(strategy) is \(strategyBreaker.state.rawValue)")
        }
        let notional = quantity * value
        if let low = limits.minOrderNotional, notional < low.doubleValue {
            return Rejection(.orderNotional, "order notional \(format(notional)) is below the minimum \(low.formatted())")
        }
        if let high = limits.maxOrderNotional, notional > high.doubleValue {
            return Rejection(.orderNotional, "order notional \(format(notional)) is above the maximum \(high.formatted())")
        }
        // Read only for a refusal's message: a copy held through the check cost its retain and release.
        var symbol: String { symbols[i] }
        if time.nanoseconds < pausedUntil[i] {
            return Rejection(.stoplossGuard, "\(symbol) paused after repeated stop-outs until \(Timestamp(nanoseconds: pausedUntil[i]))")
        }
        if current == 0, let cooldown = limits.reentryCooldown, let exit = lastExitTime[i] {
            switch cooldown {
            case .seconds(let seconds) where time.nanoseconds - exit < seconds * 1_000_000_000:
                return Rejection(.reentryCooldown, "\(symbol) exited \((time.nanoseconds - exit) / 1_000_000_000)s ago; cooldown \(seconds)s")
            case .bars(let count) where bars[i] - (lastExitBar[i] ?? 0) < count:
                return Rejection(.reentryCooldown, "\(symbol) exited \(bars[i] - (lastExitBar[i] ?? 0)) bars ago; cooldown \(count) bars")
            default:
                break
            }
        }
        if limits.refuseContradictoryPositions, let g = group[i] {
            for j in symbols.indices where j != i && group[j] == g && positions[j] != 0 && (positions[j] > 0) != (after > 0) {
                return Rejection(.contradictoryPosition,
                                 "\(symbol) \(after > 0 ? "long" : "short") would oppose \(symbols[j]) \(positions[j] > 0 ? "long" : "short") in one underlying")
            }
        }
        if current == 0, let maximum = limits.maxOpenPositions, positions.reduce(0, { $0 + ($1 != 0 ? 1 : 0) }) >= maximum {
            return Rejection(.maxOpenPositions, "already \(maximum) open positions")
        }
        guard equity > 0 else { return Rejection(.maxPositionSize, "equity is not positive") }
        let afterValue = abs(after) * value
        if let fraction = limits.maxPositionFraction, afterValue > fraction * equity {
            return Rejection(.maxPositionSize, "\(symbol) position would be \(percent(afterValue / equity)) of equity; limit \(percent(fraction))")
        }
        var gross = 0.0
        var net = 0.0
        var heat = 0.0
        for j in symbols.indices where positions[j] != 0 && j != i {
            let v = positions[j] * marks[j]
            gross += abs(v)
            net += v
            heat += openRisk(j, quantity: positions[j])
        }
        gross += afterValue
        net += after * value
        if let limit = limits.maxGrossExposure, gross > limit * equity {
            return Rejection(.grossExposure, "gross exposure would be \(percent(gross / equity)); limit \(percent(limit))")
        }
        if let limit = limits.maxNetExposure, abs(net) > limit * equity {
            return Rejection(.netExposure, "net exposure would be \(percent(abs(net) / equity)); limit \(percent(limit))")
        }
        if let limit = limits.maxPortfolioHeat {
            let stop = request.stopLoss
            let newRisk = stop.map { abs(after) * abs(value - $0.doubleValue) } ?? abs(after) * value * limits.assumedStopDistance
            if heat + newRisk > limit * equity {
                return Rejection(.portfolioHeat, "open risk to stops would be \(percent((heat + newRisk) / equity)); limit \(percent(limit))")
            }
        }
        if let limit = limits.valueAtRisk, let problem = valueAtRiskProblem(limit, instrument: i, after: after, equity: equity) {
            return problem
        }
        if let correlation = limits.correlation {
            var combined = afterValue
            var partners: [String] = []
            cacheCorrelations(of: i)
            for j in symbols.indices where j != i && positions[j] != 0 {
                if let r = correlationRows[i].unsafelyUnwrapped[j], r > correlation.threshold {
                    combined += abs(positions[j] * marks[j])
                    partners.append(symbols[j])
                }
            }
            if !partners.isEmpty, combined > correlation.maxCombinedWeight * equity {
                return Rejection(.correlatedExposure, "\(symbol) with correlated \(partners.joined(separator: ", ")) would be "
                    + "\(percent(combined / equity)) of equity; limit \(percent(correlation.maxCombinedWeight))")
            }
        }
        return nil
    }

    /// The portfolio's VaR (by the limit's method) with instrument `i` at `after` units: each bar's return is the
    /// position-weighted sum of the instruments' returns (weights at today's marks, as a share of equity).
    private func valueAtRiskProblem(_ limit: RiskLimits.ValueAtRiskLimit, instrument i: Int, after: Double, equity: Double) -> Rejection? {
        let held = symbols.indices.filter { ($0 == i ? after : positions[$0]) != 0 }
        let window = min(limit.window, held.map { returns[$0].count }.min() ?? 0)
        guard window >= 20 else { return nil }  // too little history to say
        var portfolio = Array(repeating: 0.0, count: window)
        for j in held {
            let weight = (j == i ? after : positions[j]) * marks[j] / equity
            for k in 0..<window { portfolio[k] += weight * returns[j][ago: k] }
        }
        let loss = -limit.method.estimate(consuming: &portfolio, confidence: limit.confidence).valueAtRisk
        guard loss > limit.maxFraction else { return nil }
        let method = limit.method == .historical ? "" : limit.method.label + " "
        return Rejection(.valueAtRisk, "one-bar \(percent(limit.confidence)) \(method)VaR would be \(percent(loss)) of equity over \(window) bars; "
            + "limit \(percent(limit.maxFraction))")
    }

    private func bandProblem(_ name: String, _ level: Price?, last: Double, band: Double) -> Rejection? {
        guard let level else { return nil }
        let distance = abs(level.doubleValue / last - 1)
        // A tolerance far below a tick: 110 against 100 is exactly 10%.
        guard distance > band + 1e-12 else { return nil }
        return Rejection(.priceBand, "\(name) price \(level) is \(percent(distance)) from the last price \(last); band \(percent(band))")
    }

    /// Records an accepted order for the rate limit.
    public func recordSubmission(at time: Timestamp) { submissions?.push(time.nanoseconds) }

    private func openRisk(_ j: Int, quantity: Double) -> Double {
        if let stop = stops[j] { return abs(quantity) * max(0, quantity > 0 ? marks[j] - stop : stop - marks[j]) }
        return abs(quantity * marks[j]) * limits.assumedStopDistance
    }

    /// Pearson correlation of the two buffers' common recent returns; nil before both are full.
    static func correlation(_ a: LagBuffer<Double>, _ b: LagBuffer<Double>) -> Double? {
        guard a.isFull, b.isFull else { return nil }
        let n = a.count
        var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        for k in 0..<n {
            let x = a[ago: k], y = b[ago: k]
            sa += x
            sb += y
            saa += x * x
            sbb += y * y
            sab += x * y
        }
        let count = Double(n)
        let cov = sab - sa * sb / count
        let va = saa - sa * sa / count
        let vb = sbb - sb * sb / count
        guard va > 0, vb > 0 else { return nil }
        return cov / (va * vb).squareRoot()
    }

    private func percent(_ x: Double) -> String { String(Double(Int((x * 10_000).rounded())) / 100) + "%" }
    private func format(_ x: Double) -> String { String(Double(Int((x * 100).rounded())) / 100) }
}
