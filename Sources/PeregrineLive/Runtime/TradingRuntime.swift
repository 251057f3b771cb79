import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineModels
import PeregrineRisk
import PeregrineStorage
import PeregrineStrategies

/// Starts a trading run: checks the account, reconciles the store with the broker, adopts positions
/// and this deployment's working orders, fetches history to warm the strategy up, and builds the
/// same kernel a backtest uses, with a `BrokerVenue` in place of the simulated one. The first bar
/// after the history is the first one traded; a backtest with `tradingStart` at that bar trades
/// the same bars.
public enum TradingRuntime {
    public static func riskStateKey(_ strategy: String) -> String { "risk:\(strategy)" }
    /// Where a resumable strategy's learning is kept between runs.
    public static func strategyStateKey(_ strategy: String) -> String { "strategy:\(strategy)" }

    /// End-of-day flattening by the broker's calendar: the closes of the trading days from a week
    /// back to a year ahead replace the standing early-close rules on those days (holidays have no
    /// bars, so they need nothing).
    static func brokerCloses(_ rules: EarlyCloses, broker: AlpacaTradingClient, from now: Timestamp,
                             log: @Sendable (String) -> Void) async throws -> EarlyCloses {
        let today = CivilDate(daysSinceEpoch: now.nanoseconds.floorDivided(by: Timestamp.nanosPerDay))
        let days = try await broker.calendar(start: CivilDate(daysSinceEpoch: today.daysSinceEpoch - 7),
                                             end: CivilDate(daysSinceEpoch: today.daysSinceEpoch + 366))
        let closes = closes(rules, calendar: days)
        let early = days.filter { $0.closeMinute < closes.regularCloseMinute && $0.date.daysSinceEpoch >= today.daysSinceEpoch }
        log("end-of-day: the broker's calendar has \(days.count) trading days; early closes ahead: "
            + (early.isEmpty ? "none" : early.prefix(3).map { "\($0.date) \($0.closeMinute / 60):\(String(format: "%02d", $0.closeMinute % 60))" }
                .joined(separator: ", ")))
        return closes
    }

    /// The rules with the calendar's closes known day by day.
    public static func closes(_ rules: EarlyCloses, calendar days: [AlpacaCalendarDay]) -> EarlyCloses {
        var closes = rules
        for day in days { closes.knownCloses[day.date] = day.closeMinute }
        return closes
    }

    /// The parameters with the strategy's probability threshold (`min_prob_up` for signaling-game)
    /// adapted to the closed trades this store holds; only for strategies that adopt
    /// `ProbabilityThresholdAdapting`.
    public static func adaptedThresholds(_ settings: TradingSettings, store: TradingStore,
                                  log: @Sendable (String) -> Void) throws -> StrategyParameters {
        let type = try StrategyRegistry.shared.strategy(named: settings.strategy)
        guard let adapting = type as? any ProbabilityThresholdAdapting.Type else {
            throw TradingRuntimeError("adapt_thresholds tunes a strategy's probability threshold (as signaling-game's min_prob_up); "
                + "\(settings.strategy) has no such threshold")
        }
        let declared = type.parameters
        var values = settings.parameters.values
        func number(_ key: String) throws -> Double {
            guard let text = values[key] ?? declared.first(where: { $0.name == key })?.defaultValue else {
                throw TradingRuntimeError("trade.parameters.\(key) is needed by adapt_thresholds")
            }
            guard let value = Double(text), value.isFinite else { throw TradingRuntimeError("trade.parameters.\(key): '\(text)' is not a number") }
            return value
        }
        let threshold = adapting.probabilityThresholdParameter
        let current = try number(threshold)
        let fills = try store.fills(tradingOnly: true).map {
            SignalThresholdAdaptation.Execution(clientOrderID: $0.clientOrderID, symbol: $0.symbol, side: $0.side, quantity: $0.quantity,
                                                price: $0.price, commission: $0.commission)
        }
        let outcome = SignalThresholdAdaptation.recommend(fills: fills, decisions: try store.orderDecisions(tradingOnly: true), current: current,
                                                          takeProfit: try number(adapting.takeProfitParameter),
                                                          stopLoss: try number(adapting.stopLossParameter))
        let evidence = outcome.candidates.first { $0.threshold >= outcome.threshold - 1e-9 }
        log("adapt_thresholds: \(threshold) \(current) -> \(outcome.threshold) (\(outcome.reason); break-even win rate "
            + "\(String(format: "%.3f", outcome.breakEven)), \(evidence?.trades ?? 0) closed trades at or above it)")
        values[threshold] = String(outcome.threshold)
        return StrategyParameters(values)
    }

    /// A resumable strategy continues from what it learned in earlier runs of this deployment
    /// (`name`: the strategy, or the sleeve).
    static func resumed<S: Strategy>(_ strategy: S, store: TradingStore?, name: String, log: @Sendable (String) -> Void) -> S {
        guard let store, var resumable = strategy as? any ResumableStrategy,
              let saved = try? store.loadState(strategyStateKey(name)) else { return strategy }
        do {
            try resumable.resume(from: saved)
            log("resumed \(name)'s learning from the store")
            return resumable as! S
        } catch {
            log("could not resume \(name)'s saved state (\(error)); starting afresh")
            return strategy
        }
    }

    /// The kernel's configuration for a bot: its risk limits, exits, schedule, sizing and shorting, the
    /// cash its books start from, and the first bar it trades (the bars before only warm it up). The
    /// parity check's backtest takes the very same configuration.
    static func kernelConfiguration(_ settings: TradingSettings, cash: Money, exits: ExitPlan?, tradingStart: Timestamp?) -> BacktestConfiguration {
        var configuration = BacktestConfiguration()
        configuration.initialCash = cash
        configuration.allowShort = settings.allowShort
        configuration.risk = settings.risk
        configuration.exits = exits
        configuration.schedule = settings.schedule
        configuration.sizing = settings.sizing
        configuration.corporateActions = settings.corporateActions
        configuration.strategyName = settings.strategy
        configuration.tradingStart = tradingStart
        configuration.barInterval = settings.timeframe.nanoseconds
        return configuration
    }

    public static func start(settings: TradingSettings, broker: AlpacaTradingClient, store: TradingStore?,
                             decisionLog: (any DecisionSink)? = nil,
                             log: @escaping @Sendable (String) -> Void) async throws -> any TradingLoop {
        guard !settings.symbols.isEmpty else { throw TradingRuntimeError("no symbols to trade") }
        let environment = broker.environment
        let account = try await broker.account()
        if environment.mode == .live {
            guard let confirmed = environment.liveAccount, confirmed == account.accountNumber else {
                throw TradingRuntimeError("live trading refused: the broker's account is \(account.accountNumber), "
                                          + "the configuration confirms \(environment.liveAccount ?? "none")")
            }
        }
        guard !account.tradingBlocked else { throw TradingRuntimeError("the broker reports trading blocked on \(account.accountNumber)") }

        var reconciliation: ReconciliationReport?
        if let store {
            let found = try await Reconciler(store: store, broker: broker).run(at: WallClock.now())
            reconciliation = found
            for mismatch in found.mismatches {
                log("reconcile: \(mismatch.symbol) store \(mismatch.store) vs broker \(mismatch.broker)")
            }
            for id in found.externalOrders { log("reconcile: open order \(id) is not this deployment's") }
            if !found.isClean && !settings.allowMismatch {
                throw TradingRuntimeError("start-up reconciliation found \(found.mismatches.count) position mismatch(es) and "
                                          + "\(found.externalOrders.count) unknown open order(s); resolve them or pass --allow-mismatch")
            }
        }

        var settings = settings
        if settings.adaptThresholds, let store {
            settings.parameters = try adaptedThresholds(settings, store: store, log: log)
        }

        // Instruments, positions, history.
        var instruments: [Instrument] = []
        for symbol in settings.symbols {
            let asset = try await broker.asset(symbol)
            guard asset.tradable else { throw TradingRuntimeError("\(symbol) is not tradable at the broker") }
            instruments.append(asset.assetClass == .crypto ? .crypto(symbol) : .usEquity(symbol))
        }
        let index = Dictionary(uniqueKeysWithValues: settings.symbols.enumerated().map { ($0.element, $0.offset) })
        let brokerPositions = try await broker.positions()
        let holdings = brokerPositions.compactMap { position -> (InstrumentID, Quantity, Price)? in
            guard let i = index[position.symbol], position.quantity != .zero else { return nil }
            return (InstrumentID(i), position.quantity, position.averageEntryPrice)
        }
        // Option positions (OCC symbols, quantities in whole contracts) on the bot's symbols join its option book.
        var brokerOptions = BrokerOptions()
        brokerOptions.holdings = brokerPositions.compactMap { position -> BrokerOptions.Holding? in
            guard let contract = try? OCCSymbol(position.symbol), index[contract.root] != nil, index[position.symbol] == nil,
                  position.quantity.units % Quantity.scale == 0, position.quantity.magnitude <= Quantity(1_000_000) else { return nil }
            return BrokerOptions.Holding(contract: contract, contracts: Int(position.quantity.units / Quantity.scale),
                                         averagePrice: position.averageEntryPrice)
        }
        let now = try await broker.clock().timestamp
        let lookback = max(Int64(settings.warmUpBars) * settings.timeframe.nanoseconds * 4, 7 * Timestamp.nanosPerDay)
        var series: [BarSeries] = []
        for instrument in instruments {
            let bars = settings.warmUpBars == 0 ? [] : try await broker.bars(
                symbol: instrument.symbol, timeframe: settings.timeframe.text, start: Timestamp(nanoseconds: now.nanoseconds - lookback))
            series.append(BarSeries(instrument: instrument, bars: Array(bars.suffix(settings.warmUpBars))))
        }
        let lastHistory = series.compactMap(\.timestamps.last).max()

        // The run and its client order ids: unique per run, so a restart never reuses one.
        let started = WallClock.now()
        let runID = try store?.beginRun(kind: environment.mode.rawValue, strategy: settings.strategy,
                                        parameters: settings.parameters.text,
                                        started: started, initialEquity: account.equity)
        if let store, let runID, let document = settings.configurationDocument {
            try store.recordRunConfiguration(runID: runID, bot: settings.control?.name ?? settings.strategy, document: document)
        }
        let prefix = "pg\(runID.map(String.init) ?? "")-\(String(started.nanoseconds / 1_000_000, radix: 36))"
        let venue = BrokerVenue(instruments: instruments, barIntervals: instruments.map { _ in settings.timeframe.nanoseconds },
                                clientOrderPrefix: prefix)

        // This deployment's orders still working at the broker join the book, with what already filled.
        var adopted: [Int: String] = [:]
        if let store {
            let ours = Set(try store.orders(tradingOnly: true).map(\.clientOrderID))
            brokerOptions.orders = try await workingOptionOrders(broker: broker, ours: ours, now: now)
            // A group's legs are adopted as orders of their own: the broker keeps them linked.
            let open = try await broker.openOrders().flatMap { [$0] + $0.legs }.filter(\.status.isWorking)
            for order in open where ours.contains(order.clientOrderID) {
                guard let i = index[order.symbol] else { continue }  // an option order is adopted above
                let request = OrderRequest(instrument: InstrumentID(i), side: order.side, quantity: order.quantity, type: order.type,
                                           timeInForce: order.timeInForce, limitPrice: order.limitPrice, stopPrice: order.stopPrice)
                let id = venue.adopt(request, clientOrderID: order.clientOrderID, submittedAt: order.submittedAt ?? now,
                                     filledQuantity: order.filledQuantity, averagePrice: order.filledAveragePrice)
                adopted[id.value] = order.id
                log("adopted working order \(order.clientOrderID) (\(order.symbol) \(order.side) \(order.quantity))")
            }
        }

        var exits = settings.exits
        if var endOfDay = exits?.endOfDay {
            endOfDay.earlyCloses = try await brokerCloses(endOfDay.earlyCloses, broker: broker, from: now, log: log)
            exits?.endOfDay = endOfDay
        }

        var configuration = kernelConfiguration(settings, cash: account.cash, exits: exits,
                                                tradingStart: lastHistory.map { Timestamp(nanoseconds: $0 + 1) })
        configuration.entryReviewer = settings.entryReviewer
        configuration.accountExposure = settings.accountExposure?.member(settings.control?.name ?? settings.strategy)
        var riskState = RiskState()
        if let store, let text = try store.loadState(riskStateKey(settings.strategy)) {
            riskState = try JSONDecoder().decode(RiskState.self, from: Data(text.utf8))
        }
        let calendar = instruments[0].assetClass.defaultCalendar
        let periodsPerYear = BacktestConfiguration.inferredPeriodsPerYear(interval: settings.timeframe.nanoseconds, calendar: calendar)
        let capacity = series.reduce(0) { $0 + $1.count } + (settings.maxBars ?? 5_000_000) + 1
        let session: any WarmableTradingLoop
        if let portfolio = settings.portfolio {
            session = try portfolioSession(
                portfolio, series: series, venue: venue, cash: account.cash, holdings: holdings, adopted: adopted,
                configuration: configuration, accountState: riskState, periodsPerYear: periodsPerYear, capacity: capacity,
                clientOrderPrefix: prefix,
                broker: broker, store: store, runID: runID, settings: settings, reconciliation: reconciliation,
                decisionLog: decisionLog, log: log)
        } else {
            let builder = SessionBuilder(
                series: series, venue: venue,
                account: Account(cash: account.cash, holdings: holdings.map { ($0.0, $0.1, $0.2) }, instrumentCount: instruments.count),
                riskState: riskState, periodsPerYear: periodsPerYear, capacity: capacity,
                broker: broker, store: store, runID: runID, settings: settings, reconciliation: reconciliation,
                adopted: adopted, brokerOptions: brokerOptions, decisionLog: decisionLog, log: log)
            session = try StrategyRegistry.shared.build(strategy: settings.strategy, parameters: settings.parameters,
                                                periodsPerYear: periodsPerYear, configuration: configuration, visitor: builder)
        }
        try session.warmUp()
        log("warmed up on \(series.map(\.count).reduce(0, +)) bars; trading from the next bar"
            + (settings.dryRun ? " (dry run: nothing is sent)" : ""))
        return session
    }
}

/// Builds the session for the strategy's concrete type.
private struct SessionBuilder: StrategyVisitor {
    let series: [BarSeries]
    let venue: BrokerVenue
    let account: Account
    let riskState: RiskState
    let periodsPerYear: Double
    let capacity: Int
    let broker: AlpacaTradingClient
    let store: TradingStore?
    let runID: Int64?
    let settings: TradingSettings
    let reconciliation: ReconciliationReport?
    let adopted: [Int: String]
    let brokerOptions: BrokerOptions
    let decisionLog: (any DecisionSink)?
    let log: @Sendable (String) -> Void

    func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> any WarmableTradingLoop {
        let strategy = TradingRuntime.resumed(strategy, store: store, name: settings.strategy, log: log)
        let kernel = TradingKernel(series: series, strategy: strategy, venue: venue, account: account, configuration: configuration,
                                   equity: EquityCurve(capacity: capacity), periodsPerYear: periodsPerYear, riskState: riskState)
        return TradingSession(kernel: kernel, broker: broker, store: store, runID: runID, settings: settings,
                              reconciliation: reconciliation, adopted: adopted, brokerOptions: brokerOptions, decisionLog: decisionLog,
                              log: log)
    }
}

/// A session before its warm-up.
protocol WarmableTradingLoop: TradingLoop {
    func warmUp() throws
}

extension TradingSession: WarmableTradingLoop {}
