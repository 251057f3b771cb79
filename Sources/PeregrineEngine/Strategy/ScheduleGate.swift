import PeregrineCore

/// Whether the strategy may act on the current bar: not before the trading start (bars that only
/// warm it up), and only on the bars the bot's schedule admits. A signal off schedule is held and
/// acted on at the next scheduled bar unless the strategy signals afresh there, which is what a
/// bot that looks every N minutes would see. Exit rules and risk limits do not pass this gate.
final class ScheduleGate {
    /// A signal held off schedule, as the strategy gave it.
    struct DeferredSignal {
        var action: SignalAction
        var quantity: Quantity
        var note: String
        var plan: ((OrderSide, Quantity) -> OrderRequest)?
        var time: Timestamp
    }

    let state: TradingState
    let log: DecisionLog
    /// Orders before this time are refused as `warm_up`.
    @exclusivity(unchecked) var tradingStart: Timestamp?
    @exclusivity(unchecked) var schedule: TradingSchedule?
    /// Whether the schedule acts on the current bar (set by the kernel before each bar).
    @exclusivity(unchecked) var onSchedule = true
    /// Per instrument, the latest signal held off schedule.
    @exclusivity(unchecked) private var deferred: [Int: DeferredSignal] = [:]
    /// Instruments that signaled on the current bar.
    @exclusivity(unchecked) private var signaledNow: Set<Int> = []

    init(state: TradingState, log: DecisionLog) {
        self.state = state
        self.log = log
    }

    /// Holds a signal during the warm-up or off schedule, logging why (off schedule it is kept for
    /// the next scheduled bar); false lets it through.
    func holds(_ action: SignalAction, _ instrument: InstrumentID, quantity: Quantity, note: String,
               plan: ((OrderSide, Quantity) -> OrderRequest)?) -> Bool {
        let now = state.now
        if let start = tradingStart, now < start {
            log.record(Decision(timestamp: now, instrument: instrument, action: action, outcome: .held, reason: .warmUp, detail: note))
            return true
        }
        if schedule != nil { signaledNow.insert(instrument.index) }
        if !onSchedule {
            deferred[instrument.index] = DeferredSignal(action: action, quantity: quantity, note: note, plan: plan, time: now)
            log.record(Decision(timestamp: now, instrument: instrument, action: action, outcome: .held, reason: .offSchedule,
                                detail: "the bot acts \(schedule?.description ?? "on schedule")" + (note.isEmpty ? "" : "; " + note)))
            return true
        }
        return false
    }

    /// Refuses an explicit order during the warm-up or off schedule, logging why; nil lets it through.
    func refusal(of request: OrderRequest) -> Rejection? {
        let rejection: Rejection
        if let start = tradingStart, state.now < start {
            rejection = Rejection(.warmUp, "bars before \(start) only warm the strategy up")
        } else if !onSchedule {
            rejection = Rejection(.offSchedule, "the bot acts \(schedule?.description ?? "on schedule")")
        } else {
            return nil
        }
        log.record(Decision(timestamp: state.now, instrument: request.instrument, action: nil, outcome: .held,
                            reason: DecisionReason(rejection: rejection.code), detail: rejection.detail, side: request.side,
                            quantity: request.quantity))
        return rejection
    }

    /// At a scheduled bar: the signal held since the last one, unless the strategy signaled afresh
    /// on this bar. Call `barDone` once the bar's signals are in.
    func takeDeferred(_ instrument: InstrumentID) -> DeferredSignal? {
        guard let pending = deferred.removeValue(forKey: instrument.index), !signaledNow.contains(instrument.index) else { return nil }
        return pending
    }

    /// The instrument's bar is over: its next bar starts without a fresh signal.
    func barDone(_ instrument: InstrumentID) { signaledNow.remove(instrument.index) }
}
