import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels
import PeregrineRisk

/// What a trading session drives: one strategy's `TradingKernel`, or a `MultiStrategyKernel` whose
/// sleeves share the broker's account. Either way, bars go in, orders come out of one
/// `BrokerVenue`, and the books answer for the whole account.
protocol LiveKernel: AnyObject {
    var venue: BrokerVenue { get }
    var instruments: [Instrument] { get }
    /// The time of the bar being processed.
    var now: Timestamp { get }
    var accountCash: Money { get }
    var accountEquity: Money { get }
    func accountPosition(_ instrument: InstrumentID) -> Quantity
    /// Bars known so far of one instrument.
    func history(_ instrument: InstrumentID) -> BarHistory
    /// Each strategy's decisions so far (one list per strategy, in its own order) with its name
    /// (nil: the deployment's strategy).
    var decisionStreams: [(strategy: String?, decisions: [Decision])] { get }
    var decisionCounts: [String: Int] { get }
    var fills: [Fill] { get }
    /// Set once equity left the books' range; the kernel takes no more bars.
    var rangeFailure: String? { get }
    /// What a restart must find again, as store keys and JSON: risk states, resumable strategies'
    /// learning, the meta-controller.
    func statesToSave(strategy: String) throws -> [(key: String, json: String)]

    /// A person's pause: entries refused as `paused` in every strategy; exits still run.
    func setEntriesPaused(_ paused: Bool)
    /// A person's flatten of one instrument, past the checks, logged as `operator_flatten`.
    func flattenByOperator(_ instrument: InstrumentID, detail: String)
    /// A person's order, through the checks, logged as `operator_order`; nil when this kind of bot
    /// takes no orders by hand, with the reason.
    func submitByOperator(_ request: OrderRequest, detail: String) -> Result<OrderID, Rejection>
    /// Clears halted breakers and the kill switch in every risk state, naming the person.
    func resumeRisk(at time: Timestamp, by person: String)
    /// Whether a risk state halted trading (the account's breaker or the kill switch).
    var riskHalted: Bool { get }

    /// The strategy's option book (nil: no option order or position yet, or a portfolio, whose
    /// sleeves trade no options); the broker's reports go in through the three calls after it.
    var optionBook: OptionBook? { get }
    func bookOptionFill(clientOrderID: String, legPrices: [Price], at time: Timestamp) -> Bool
    func endOptionOrder(clientOrderID: String, as status: OrderStatus, at time: Timestamp)
    func bookOptionSettlement(_ contract: OCCSymbol, kind: OptionActivity.Kind, on date: CivilDate, at time: Timestamp) -> Fill?
    /// A position the broker holds from before this run; false when the kernel takes none.
    func adoptOptionPosition(_ contract: OCCSymbol, contracts: Int, averagePrice: Price) -> Bool
    /// An option order of an earlier run still working at the broker; false when the kernel takes none.
    func adoptOptionOrder(clientOrderID: String, quantity: Int, legs: [OptionOrder.Leg], submittedAt: Timestamp) -> Bool
    /// The account's equity after each close step, as far back as the retention keeps it.
    var equityCurve: EquityCurve { get }
    /// Forgets the past beyond `retention`'s window (bars, equity points folded into `summary` first,
    /// fills, closed trips); returns how many fills it let go.
    func releaseLiveRecords(_ retention: LiveRetention, foldingEquityInto summary: inout EquitySummary?) -> Int
    /// Forgets each decision stream's `counts[k]` oldest decisions (stored ones only).
    func forgetDecisions(_ counts: [Int])

    func start()
    func replayHistory()
    func receive(_ bar: Bar, instrument i: Int)
    func closeStep(at time: Int64)
    func dispatchEvents()
}

extension TradingKernel: LiveKernel where V == BrokerVenue {
    var instruments: [Instrument] { context.instruments }
    var now: Timestamp { context.now }
    var accountCash: Money { context.cash }
    var accountEquity: Money { context.equity }
    func accountPosition(_ instrument: InstrumentID) -> Quantity { context.position(instrument).quantity }
    func history(_ instrument: InstrumentID) -> BarHistory { context.history(instrument) }
    var decisionStreams: [(strategy: String?, decisions: [Decision])] { [(nil, context.decisions)] }
    var decisionCounts: [String: Int] { context.decisionCounts }

    func statesToSave(strategy name: String) throws -> [(key: String, json: String)] {
        try savedStates(of: strategy, risk: context.risk, name: name)
    }

    func setEntriesPaused(_ paused: Bool) { context.entriesPaused = paused }
    func flattenByOperator(_ instrument: InstrumentID, detail: String) { context.flattenByOperator(instrument, detail: detail) }
    func submitByOperator(_ request: OrderRequest, detail: String) -> Result<OrderID, Rejection> {
        context.submitByOperator(request, detail: detail)
    }
    func resumeRisk(at time: Timestamp, by person: String) { context.risk?.resume(at: time, by: person) }
    var riskHalted: Bool { context.risk.map { $0.state.account.state == .halted || $0.state.killSwitchEngaged } ?? false }

    func releaseLiveRecords(_ retention: LiveRetention, foldingEquityInto summary: inout EquitySummary?) -> Int {
        releaseRecords(retention, foldingEquityInto: &summary).fills
    }
    func forgetDecisions(_ counts: [Int]) { if let count = counts.first { forgetDecisions(count) } }
}

/// A resumable strategy's learning and a risk layer's state, under the keys a restart reads.
private func savedStates(of strategy: any Strategy, risk: RiskEngine?, name: String) throws -> [(key: String, json: String)] {
    var states: [(key: String, json: String)] = []
    if let resumable = strategy as? any ResumableStrategy {
        states.append((TradingRuntime.strategyStateKey(name), try resumable.resumableState))
    }
    if let risk {
        states.append((TradingRuntime.riskStateKey(name), String(decoding: try JSONEncoder().encode(risk.state), as: UTF8.self)))
    }
    return states
}

extension MultiStrategyKernel: LiveKernel where V == BrokerVenue {
    var instruments: [Instrument] { sleeves[0].context.instruments }
    var now: Timestamp { sleeves[0].context.now }
    var accountCash: Money { cash }
    func accountPosition(_ instrument: InstrumentID) -> Quantity { position(instrument) }
    func history(_ instrument: InstrumentID) -> BarHistory { sleeves[0].context.history(instrument) }
    var decisionStreams: [(strategy: String?, decisions: [Decision])] { zip(names, sleeves).map { ($0, $1.context.decisions) } }
    var equityCurve: EquityCurve { equity }
    func releaseLiveRecords(_ retention: LiveRetention, foldingEquityInto summary: inout EquitySummary?) -> Int {
        releaseRecords(retention, foldingEquityInto: &summary)
    }
    func forgetDecisions(_ counts: [Int]) { for (sleeve, count) in zip(sleeves, counts) { sleeve.forgetDecisions(count) } }

    /// Each sleeve's under its own name, the account's risk state under the deployment's, and the meta-controller's.
    func statesToSave(strategy: String) throws -> [(key: String, json: String)] {
        var states = try zip(names, sleeves).flatMap { name, sleeve in
            try savedStates(of: sleeve.strategyValue, risk: sleeve.context.risk, name: name)
        }
        if let accountRisk {
            states.append((TradingRuntime.riskStateKey(strategy), String(decoding: try JSONEncoder().encode(accountRisk.state), as: UTF8.self)))
        }
        if let thompson = allocator.thompson {
            states.append((SleeveAllocator.stateKey(names), String(decoding: try JSONEncoder().encode(thompson), as: UTF8.self)))
        }
        return states
    }

    func setEntriesPaused(_ paused: Bool) { for sleeve in sleeves { sleeve.context.entriesPaused = paused } }

    /// Each sleeve closes its own part of the position (the broker nets them into one).
    func flattenByOperator(_ instrument: InstrumentID, detail: String) {
        for sleeve in sleeves { sleeve.context.flattenByOperator(instrument, detail: detail) }
    }

    /// A portfolio's position belongs to its sleeves, so an order by hand would belong to none: refused.
    func submitByOperator(_ request: OrderRequest, detail: String) -> Result<OrderID, Rejection> {
        .failure(Rejection(.invalidOrder, "a portfolio bot takes no orders by hand (its sleeves own its positions); "
                           + "use a single-strategy bot, or flatten"))
    }

    var optionBook: OptionBook? { nil }
    func bookOptionFill(clientOrderID: String, legPrices: [Price], at time: Timestamp) -> Bool { false }
    func endOptionOrder(clientOrderID: String, as status: OrderStatus, at time: Timestamp) {}
    func bookOptionSettlement(_ contract: OCCSymbol, kind: OptionActivity.Kind, on date: CivilDate, at time: Timestamp) -> Fill? { nil }
    func adoptOptionPosition(_ contract: OCCSymbol, contracts: Int, averagePrice: Price) -> Bool { false }
    func adoptOptionOrder(clientOrderID: String, quantity: Int, legs: [OptionOrder.Leg], submittedAt: Timestamp) -> Bool { false }

    func resumeRisk(at time: Timestamp, by person: String) {
        for sleeve in sleeves { sleeve.context.risk?.resume(at: time, by: person) }
        accountRisk?.resume(at: time, by: person)
    }

    var riskHalted: Bool {
        ([accountRisk] + sleeves.map(\.context.risk)).contains { risk in
            risk.map { $0.state.account.state == .halted || $0.state.killSwitchEngaged } ?? false
        }
    }
}
