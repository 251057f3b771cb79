import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineModels
import PeregrineStorage

/// One strategy, or several sharing the account as sleeves, trading through a broker bar by bar on
/// the same kernel as their backtest. Each turn:
/// ask the broker about working orders (fills become the strategy's fills), fetch bars newer than the
/// last one seen, run the kernel over them, then send what the strategy decided. Every order is
/// written to the store as an intent before it leaves, every fill is written before the strategy
/// hears of it, so a crash at any point can be reconciled on restart.
final class TradingSession<K: LiveKernel>: TradingLoop {
    let kernel: K
    let broker: AlpacaTradingClient
    let store: TradingStore?
    let runID: Int64?
    let settings: TradingSettings
    let symbols: [String]
    let log: @Sendable (String) -> Void
    let decisionLog: (any DecisionSink)?
    /// Latest bar time seen per instrument.
    private var lastBar: [Int64]
    /// Local ids of orders the broker acknowledged, with the broker's id.
    private var brokerIDs: [Int: String] = [:]
    /// The broker's client order id of a bracket leg, where it names the leg its own way.
    private var brokerClientIDs: [Int: String] = [:]
    /// Decisions stored so far, per strategy.
    private var storedDecisions: [Int] = []
    var report = TradingReport()
    /// Instructions held back while the trading stream is down.
    private var held: [BrokerVenue.Instruction] = []
    /// Option orders held back while the trading stream is down.
    var heldOptions: [OptionOrder] = []
    /// The broker's ids of the option orders it acknowledged, by client order id.
    var optionBrokerIDs: [String: String] = [:]
    /// Option positions and working option orders the broker held at start (restart), taken into the
    /// book before the warm-up.
    let brokerOptions: BrokerOptions
    private let inbox = TradeUpdateInbox()
    private let bell = BarBell()
    /// A person paused the bot (the control API); cleared by resume.
    private var paused = false
    /// Whether the last published status was halted by risk, so the change is sent once.
    private var wasHalted = false
    /// The bars handled since the last turn was stored, stored with it (for the parity check).
    private var handledBars: [RunBar] = []
    /// The account's equity points the kernel let go of (`settings.retention`), from the end of the warm-up.
    private var equitySummary: EquitySummary?
    /// Fills the kernel let go of once stored.
    private var releasedFills = 0

    init(kernel: K, broker: AlpacaTradingClient, store: TradingStore?, runID: Int64?,
         settings: TradingSettings, reconciliation: ReconciliationReport?, adopted: [Int: String],
         brokerOptions: BrokerOptions = BrokerOptions(),
         decisionLog: (any DecisionSink)? = nil, log: @escaping @Sendable (String) -> Void) {
        self.brokerOptions = brokerOptions
        self.decisionLog = decisionLog
        self.kernel = kernel
        self.broker = broker
        self.store = store
        self.runID = runID
        self.settings = settings
        self.symbols = kernel.instruments.map(\.symbol)
        self.log = log
        self.brokerIDs = adopted
        lastBar = Array(repeating: .min, count: kernel.instruments.count)
        storedDecisions = Array(repeating: 0, count: kernel.decisionStreams.count)
        report.runID = runID
        report.reconciliation = reconciliation
    }

    var venue: BrokerVenue { kernel.venue }
    /// Where this bot's events go, when someone watches.
    var telemetry: TelemetryHub? { settings.control?.telemetry }
    var botName: String { settings.control?.name ?? settings.strategy }
    /// Fills come over the trading stream (not in a stepped simulation, which must ask).
    var streaming: Bool { (settings.tradeStreamKeys != nil || settings.sharedTradeStream != nil) && !settings.stepLocalClock }

    /// Feeds the history to the strategy; its orders there are refused as warm-up.
    func warmUp() throws {
        adoptBrokerOptions()
        kernel.start()
        kernel.replayHistory()
        var warmUpBars: [RunBar] = []
        for index in symbols.indices {
            let history = kernel.history(InstrumentID(index))
            report.warmUpBars += history.count
            if history.count > 0 { lastBar[index] = history[ago: 0].timestamp.nanoseconds }
            warmUpBars += (0..<history.count).reversed().map { runBar(history[ago: $0], instrument: index, warmUp: true) }
        }
        if let store, let runID { try store.recordRunBars(runID: runID, warmUpBars) }
        _ = venue.takeOutbox()
        try persistDecisions()
        try recordSnapshot()
        // The run's equity figures count from here; the warm-up's points are in the store's history.
        kernel.equityCurve.removeOldest(kernel.equityCurve.count)
        equitySummary = EquitySummary(initial: kernel.accountEquity)
        // A pause outlives a restart: a person paused this bot and has not resumed it.
        if settings.control != nil, let store, try store.loadState(pauseKey) == "paused" {
            paused = true
            kernel.setEntriesPaused(true)
            log("control: still paused from before the restart; resume it (the API, Telegram, or peregrine risk resume) to let it enter again")
        }
    }

    /// A bar as the store keeps it for this run.
    private func runBar(_ bar: Bar, instrument: Int, warmUp: Bool) -> RunBar {
        RunBar(bot: botName, symbol: symbols[instrument], timeframe: settings.timeframe.text, bar: bar, warmUp: warmUp)
    }

    /// Where a person's pause of this bot is kept, so a restart finds it.
    private var pauseKey: String { "control:\(botName):entries" }

    /// The account now: cash, equity at the latest marks, positions.
    private func accountSnapshot() -> AccountSnapshot {
        var positions: [String: Quantity] = [:]
        for index in symbols.indices where !kernel.accountPosition(InstrumentID(index)).isZero {
            positions[symbols[index]] = kernel.accountPosition(InstrumentID(index))
        }
        return AccountSnapshot(time: kernel.now, cash: kernel.accountCash, equity: kernel.accountEquity, positions: positions)
    }

    /// The account now to the store, and to the control plane.
    private func recordSnapshot() throws {
        guard let store, let runID else { return }
        let snapshot = accountSnapshot()
        try store.recordSnapshot(runID: runID, snapshot)
        publish(snapshot)
    }

    /// The account to the control plane's equity feed, and this bot's gross exposure (working orders
    /// included) to the account's limit shared with the other bots.
    private func publish(_ snapshot: AccountSnapshot) {
        let positions = snapshot.positions
        if let account = settings.accountExposure,
           let held = venue.grossExposure(positions: symbols.indices.map { kernel.accountPosition(InstrumentID($0)) }) {
            account.record(bot: botName, exposure: held)
        }
        if let telemetry {
            var exposure = Money.zero
            for index in symbols.indices where !kernel.accountPosition(InstrumentID(index)).isZero {
                let history = kernel.history(InstrumentID(index))
                if history.count > 0 { exposure += history[ago: 0].close * kernel.accountPosition(InstrumentID(index)).magnitude }
            }
            telemetry.publish(.equity(bot: botName, time: kernel.now, equity: kernel.accountEquity, cash: kernel.accountCash,
                                      positions: positions.count, exposure: exposure))
        }
    }

    func run(until stop: StopSignal) async throws -> TradingReport {
        var streamTask: Task<Void, Error>?
        var sharedListener: Int?
        if streaming, let shared = settings.sharedTradeStream {
            let inbox = self.inbox, control = settings.control, name = "trading stream (\(botName))"
            sharedListener = shared.join { event in
                await inbox.receive(event)
                switch event {
                case .connected: control?.connection(name, "connected")
                case .disconnected: control?.connection(name, "disconnected")
                case .update: break
                }
            }
            if shared.isConnected {
                await inbox.receive(.connected)
                control?.connection(name, "connected")
            }
        } else if streaming, let keys = settings.tradeStreamKeys {
            let inbox = self.inbox, log = self.log, control = settings.control, name = "trading stream (\(botName))"
            let stream = AlpacaTradeStream(environment: broker.environment, credentials: keys)
            streamTask = Task {
                try await stream.run { event in
                    await inbox.receive(event)
                    switch event {
                    case .connected:
                        control?.connection(name, "connected")
                    case .disconnected(let why, let wait):
                        log("trading stream down (\(why)); orders wait; reconnecting in \(String(format: "%.1f", wait)) s")
                        control?.connection(name, "disconnected")
                    case .update:
                        break
                    }
                }
            }
        }
        defer {
            streamTask?.cancel()
            if let sharedListener { settings.sharedTradeStream?.leave(sharedListener) }
        }
        var barTasks: [Task<Void, Error>] = []
        let sharedBars = settings.sharedBarStream
        let barListener = sharedBars?.join(symbols: Set(symbols), bell: bell)
        defer { if let barListener { sharedBars?.leave(barListener) } }
        if sharedBars == nil, streaming, let keys = settings.tradeStreamKeys, let feed = settings.barStreamFeed {
            let bell = self.bell, log = self.log
            // Stocks on the configured feed, crypto pairs on Alpaca's crypto stream: one connection each.
            let crypto = kernel.instruments.filter { $0.assetClass == .crypto }.map(\.symbol)
            let stocks = kernel.instruments.filter { $0.assetClass != .crypto }.map(\.symbol)
            let streams = [(AlpacaMarketDataStream.Endpoint.stocks(feed: feed), stocks), (.crypto, crypto)].filter { !$0.1.isEmpty }
            for (endpoint, names) in streams {
                let stream = AlpacaMarketDataStream(environment: broker.environment, endpoint: endpoint, bars: names, credentials: keys)
                barTasks.append(Task {
                    try await stream.run { event in
                        switch event {
                        case .bar: bell.ring()
                        case .subscribed(let bars, _, _): log("bar stream: subscribed to \(bars.joined(separator: ", ")) (\(endpoint))")
                        case .malformed(let error): log("bar stream: \(error)")
                        case .quote, .trade: break
                        case .disconnected(let why, let wait):
                            // Bars published meanwhile are read over REST at the next poll.
                            log("bar stream down (\(why)); polling until it is back in \(String(format: "%.1f", wait)) s")
                        }
                    }
                })
            }
        }
        defer { for task in barTasks { task.cancel() } }
        settings.control?.update {
            $0.runID = runID
            $0.startedNanoseconds = WallClock.now().nanoseconds
        }
        publishStatus()
        var reason = ""
        var firstStep = true
        do {
            while true {
                if stop.isRequested { reason = "stop requested"; break }
                if let limit = settings.maxBars, report.liveBars >= limit { reason = "handled \(limit) bars (--max-bars)"; break }
                let turnStart = ContinuousClock.now
                try await pollOrders()
                try await applyControl()
                var arrived = try await newBars()
                defer {
                    let elapsed = (ContinuousClock.now - turnStart).components
                    var perSymbol: [Int: Int] = [:]
                    for item in arrived { perSymbol[item.instrument, default: 0] += 1 }
                    telemetry?.publish(.turn(bot: botName, seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18, bars: arrived.count,
                                             behind: max(0, (perSymbol.values.max() ?? 0) - 1)))
                }
                // --max-bars is exact even when one turn brings more bars than are left (the equity
                // curve is sized for that many).
                if let limit = settings.maxBars { arrived = Array(arrived.prefix(limit - report.liveBars)) }
                if arrived.isEmpty {
                    if settings.stepLocalClock {
                        // With the shared bar stream, the step's bar arrives on it and wakes this bot.
                        // Before the first step, give it up to a poll's time to subscribe.
                        if let sharedBars, firstStep {
                            await stop.sleep(seconds: settings.pollSeconds, wake: { sharedBars.isSubscribed })
                        }
                        firstStep = false
                        bell.clear()
                        let replayed = if let barrier = settings.stepBarrier {
                            try await barrier.arrive()
                        } else {
                            try await broker.advanceLocalExchange(steps: 1).replayed
                        }
                        if replayed == 0 { reason = "the exchange has no more bars"; break }
                        if let sharedBars, sharedBars.isSubscribed { await bell.wait(seconds: settings.pollSeconds) }
                    } else {
                        let bell = self.bell
                        await stop.sleep(seconds: settings.pollSeconds, wake: { bell.pending })
                        bell.clear()
                    }
                    continue
                }
                try await settleExpiredOptions(arrived)
                if settings.entryReviewer != nil { await processOffThePool(arrived) } else { process(arrived) }
                try await flushOutbox()
                try recordTurn()
                // A mark beyond the books' range stops the bot with the reason, never a trap or a guess.
                if let failure = kernel.rangeFailure { throw TradingRuntimeError(failure) }
                publishStatus()
            }
        } catch {
            await closeAfterFailure(error)
            throw error
        }
        try await shutdown()
        settings.control?.finish(error: nil)
        report.stopReason = reason
        return report
    }

    // MARK: - Turn by turn

    /// Carries out what a person asked since the last turn (pause, resume, flatten, cancel, risk
    /// resume), sends the orders that makes, and writes each to the audit trail with who asked.
    private func applyControl() async throws {
        guard let control = settings.control else { return }
        let commands = control.takeCommands()
        guard !commands.isEmpty else { return }
        for (command, who) in commands {
            var stage = AuditEntry.Stage.applied
            let action: String, target: String, detail: String
            switch command {
            case .pause:
                paused = true
                kernel.setEntriesPaused(true)
                try store?.saveState(pauseKey, json: "paused", at: WallClock.now())
                (action, target, detail) = ("pause", control.name, "no new entries from the next bar; exits still run")
            case .resume:
                paused = false
                kernel.setEntriesPaused(false)
                try store?.saveState(pauseKey, json: "active", at: WallClock.now())
                (action, target, detail) = ("resume", control.name, "entries allowed again")
            case .flatten(let symbol):
                let indices = symbols.indices.filter { symbol == nil || symbols[$0] == symbol }
                for index in indices { kernel.flattenByOperator(InstrumentID(index), detail: "asked by \(who)") }
                (action, target) = (symbol == nil ? "flatten_all" : "flatten", symbol ?? "all")
                detail = indices.isEmpty ? "this bot does not trade \(symbol ?? "-")" : "positions closed at market, working orders canceled"
                if indices.isEmpty { stage = .refused }
            case .cancel(let clientOrderID):
                (action, target) = ("cancel_order", clientOrderID)
                if let id = venue.orderID(clientOrderID: clientOrderID), venue.order(id)?.status.isWorking == true {
                    _ = venue.cancel(id, at: kernel.now)
                    detail = "cancel sent"
                } else {
                    stage = .refused
                    detail = "no working order of this bot has that client order id"
                }
            case .resumeRisk(let person):
                kernel.resumeRisk(at: kernel.now, by: person)
                (action, target, detail) = ("risk_resume", control.name, "breakers and kill switch back to active, by \(person)")
            case .order(let order):
                (action, target) = ("submit_order", order.symbol)
                if let index = symbols.firstIndex(of: order.symbol), let request = order.request(for: InstrumentID(index)) {
                    switch kernel.submitByOperator(request, detail: "\(order.summary), asked by \(who)") {
                    case .success: detail = "\(order.summary) sent through the checks"
                    case .failure(let rejection):
                        stage = .refused
                        detail = "\(order.summary) refused: \(rejection.code.rawValue): \(rejection.detail)"
                    }
                } else {
                    stage = .refused
                    detail = "this bot does not trade \(order.symbol)"
                }
            }
            log("control: \(action) \(target) asked by \(who): \(stage == .applied ? detail : "refused, " + detail)")
            try store?.recordAudit(AuditEntry(time: WallClock.now(), actor: who, action: action, target: target, stage: stage,
                                              detail: detail))
        }
        kernel.dispatchEvents()
        try await flushOutbox()
        try persistDecisions()
        publishStatus()
    }

    /// The bot's state for the control plane: paused, halted by risk, or running.
    private func publishStatus() {
        guard let control = settings.control else { return }
        let halted = kernel.riskHalted
        if halted != wasHalted {
            wasHalted = halted
            telemetry?.publish(.risk(bot: botName, time: kernel.now, halted: halted,
                                     detail: halted ? "a risk limit halted trading (see GET risk)" : "trading resumed"))
        }
        let state: BotControl.State = halted ? .halted : paused ? .paused : .running
        let bars = report.liveBars
        control.update { status in
            status.state = state
            status.bars = bars
            status.broker = "connected"
        }
    }

    /// Working orders as the broker has them now; new fills are stored, then booked. With the trading
    /// stream, what it delivered (and a REST catch-up after each connection); without, every working order is asked.
    private func pollOrders() async throws {
        if streaming {
            let (updates, catchUp) = await inbox.take()
            if catchUp { try await askAboutWorkingOrders() }
            for update in updates {
                guard let id = venue.orderID(clientOrderID: update.order.clientOrderID) else { continue }
                try apply(update.order, to: id)
            }
            kernel.dispatchEvents()
            // The stream passes over mleg orders (no symbol or side of their own): options are asked over REST.
            try await askAboutWorkingOptionOrders()
            return
        }
        try await askAboutWorkingOrders()
        try await askAboutWorkingOptionOrders()
    }

    private func askAboutWorkingOrders() async throws {
        for index in kernel.instruments.indices {
            for order in venue.openOrders(InstrumentID(index)) where brokerIDs[order.id.value] != nil {
                let clientOrderID = brokerClientIDs[order.id.value] ?? order.clientOrderID
                guard let current = try await broker.order(clientOrderID: clientOrderID) else { continue }
                try apply(current, to: order.id)
            }
        }
        kernel.dispatchEvents()
    }

    /// Turns the broker's view of one order into the book's events, storing any fill first.
    private func apply(_ state: AlpacaOrder, to id: OrderID) throws {
        let mark = venue.events.count
        venue.report(id, status: state.status, filledQuantity: state.filledQuantity, averagePrice: state.filledAveragePrice,
                     executedAt: state.filledAt ?? kernel.now, at: kernel.now)
        if let telemetry, venue.events.count > mark {
            telemetry.publish(.order(bot: botName, time: kernel.now, clientOrderID: state.clientOrderID, symbol: state.symbol, side: state.side,
                                     quantity: state.quantity, status: state.status.rawValue))
        }
        for event in venue.events[mark...] {
            guard case .fill(let fill) = event else { continue }
            let executionID = "\(state.id):\(state.filledQuantity)"
            settings.crashPoints.pass(.beforeFillRecord)
            // Stored under the broker's client order id (a bracket leg's may differ from the book's).
            _ = try store?.recordFill(StoredFill(executionID: executionID, clientOrderID: state.clientOrderID,
                                                 timestamp: fill.timestamp, symbol: symbols[fill.instrument.index],
                                                 side: fill.side, quantity: fill.quantity, price: fill.price))
            log("fill \(symbols[fill.instrument.index]) \(fill.side) \(fill.quantity) @ \(fill.price) [\(fill.clientOrderID)]")
            telemetry?.publish(.fill(bot: botName, time: fill.timestamp, clientOrderID: state.clientOrderID, symbol: symbols[fill.instrument.index],
                                     side: fill.side, quantity: fill.quantity, price: fill.price))
        }
        // The broker's latest word on the order, once its fills are in the store (never before them).
        if venue.events.count > mark { try store?.updateStatus(state.clientOrderID, to: state.status.rawValue, at: WallClock.now()) }
    }

    /// Bars after the last one seen, all symbols merged in time order (then symbol order).
    private func newBars() async throws -> [(instrument: Int, bar: Bar)] {
        var arrived: [(instrument: Int, bar: Bar)] = []
        for (index, symbol) in symbols.enumerated() {
            let start = Timestamp(nanoseconds: lastBar[index] == .min ? 0 : lastBar[index] + 1)
            for bar in try await broker.bars(symbol: symbol, timeframe: settings.timeframe.text, start: start)
            where bar.timestamp.nanoseconds > lastBar[index] {
                arrived.append((index, bar))
            }
        }
        return arrived.sorted { ($0.bar.timestamp, $0.instrument) < ($1.bar.timestamp, $1.instrument) }
    }

    /// Runs the kernel over new bars, closing each time step once all its bars are in.
    /// With a `[veto]` model, a bar's entries may wait for its answer (up to its timeout): the bars are
    /// processed on a thread of their own, so that wait never holds one of the few threads every bot,
    /// the control API and the streams share. The session awaits it, so nothing else touches the
    /// session meanwhile.
    private func processOffThePool(_ arrived: [(instrument: Int, bar: Bar)]) async {
        let session = UncheckedSession(session: self)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .userInitiated).async {
                session.session.process(arrived)
                done.resume()
            }
        }
    }

    /// The session handed to the review thread while the session's own task waits for it.
    private struct UncheckedSession: @unchecked Sendable {
        let session: TradingSession
    }

    private func process(_ arrived: [(instrument: Int, bar: Bar)]) {
        for (position, item) in arrived.enumerated() {
            kernel.receive(item.bar, instrument: item.instrument)
            handledBars.append(runBar(item.bar, instrument: item.instrument, warmUp: false))
            telemetry?.publish(.bar(bot: botName, symbol: symbols[item.instrument], bar: item.bar))
            lastBar[item.instrument] = item.bar.timestamp.nanoseconds
            report.liveBars += 1
            if position + 1 == arrived.count || arrived[position + 1].bar.timestamp != item.bar.timestamp {
                kernel.closeStep(at: item.bar.timestamp.nanoseconds)
            }
        }
    }

    /// Sends what the strategy decided: each order recorded as an intent, marked sent, then sent at
    /// most once; the broker's answer is stored and reaches the strategy as a status change.
    private func flushOutbox() async throws {
        var instructions = held + venue.takeOutbox()
        var optionOrders = heldOptions + venue.takeOptionOutbox()
        held.removeAll()
        heldOptions.removeAll()
        if streaming && !settings.dryRun, !(await inbox.isConnected), !instructions.isEmpty || !optionOrders.isEmpty {
            // Without the stream we would not hear of the fills: hold the orders until it is back.
            held = instructions
            heldOptions = optionOrders
            return
        }
        while !instructions.isEmpty || !optionOrders.isEmpty {
            for instruction in instructions {
                switch instruction {
                case .submit(let id, let request): try await send(request, as: id)
                case .cancel(let id): try await cancelAtBroker(id)
                }
            }
            for order in optionOrders { try await sendOption(order) }
            kernel.dispatchEvents()
            instructions = venue.takeOutbox()
            optionOrders = venue.takeOptionOutbox()
        }
    }

    private func send(_ request: OrderRequest, as id: OrderID) async throws {
        let symbol = symbols[request.instrument.index]
        let clientOrderID = request.clientOrderID ?? ""
        let now = WallClock.now()
        if settings.dryRun {
            venue.reject(id, reason: "dry run: not sent", at: kernel.now)
            log("dry run: would send \(symbol) \(request.side) \(request.quantity) \(request.type) [\(clientOrderID)]")
            return
        }
        if let store, let runID {
            let body = String(decoding: AlpacaOrderBody(request, symbol: symbol).json(), as: UTF8.self)
            try store.recordIntent(OrderIntent(clientOrderID: clientOrderID, runID: runID, symbol: symbol, side: request.side,
                                               quantity: request.quantity, type: request.type, body: body), at: now)
            try store.advance(clientOrderID, to: .sent, at: now)
        }
        settings.crashPoints.pass(.afterIntent)
        do {
            let order = try await broker.submit(request, symbol: symbol)
            settings.crashPoints.pass(.afterSubmit)
            // A group's legs are stored before the order counts as acknowledged: a crash in between
            // leaves it `sent`, and the restart's reconciliation finds it and stores the legs then.
            let legs = venue.linkLegs(of: id, brokerLegs: order.legs.map { ($0.clientOrderID, $0.type) })
            if let store, let runID { try store.recordLegs(of: order, parent: clientOrderID, runID: runID, at: WallClock.now()) }
            try store?.advance(clientOrderID, to: .acknowledged, brokerOrderID: order.id, status: order.status.rawValue,
                               at: WallClock.now())
            brokerIDs[id.value] = order.id
            for (legID, k) in legs {
                brokerIDs[legID.value] = order.legs[k].id
                brokerClientIDs[legID.value] = order.legs[k].clientOrderID
            }
            report.ordersSent += 1
            log("sent \(symbol) \(request.side) \(request.quantity) \(request.type) \(request.orderClass) [\(clientOrderID)] -> \(order.status)")
            try apply(order, to: id)
            for (legID, k) in legs { try apply(order.legs[k], to: legID) }
        } catch let error as AlpacaAPIError {
            try store?.advance(clientOrderID, to: .rejected, detail: error.description, at: WallClock.now())
            venue.reject(id, reason: error.description, at: kernel.now)
            report.brokerRejections += 1
            log("broker refused \(symbol) \(request.side) \(request.quantity) [\(clientOrderID)]: \(error)")
        }
    }

    private func cancelAtBroker(_ id: OrderID) async throws {
        guard let order = venue.order(id) else { return }
        if settings.dryRun || brokerIDs[id.value] == nil {
            venue.report(id, status: .canceled, filledQuantity: order.filledQuantity, averagePrice: order.averageFillPrice,
                         executedAt: kernel.now, at: kernel.now)
            return
        }
        _ = try await cancelSent(order)
    }

    /// Asks the broker to cancel an order it acknowledged. A refusal because it already filled or is
    /// gone is logged, not thrown: the next look at the order brings its final state.
    private func cancelSent(_ order: Order) async throws -> Bool {
        guard let brokerID = brokerIDs[order.id.value] else { return false }
        do {
            try await broker.cancel(orderID: brokerID)
            return true
        } catch let error as AlpacaAPIError where error.status == 422 || error.status == 404 {
            log("cancel of \(order.clientOrderID) refused: \(error.message)")
            return false
        }
    }

    /// New decisions since the last call (each strategy's in turn), to the store.
    /// The decisions not yet stored, and how many each stream will have stored once they are.
    private func pendingDecisions() -> (items: [DecisionRecord], counts: [Int]) {
        let streams = kernel.decisionStreams
        var items: [DecisionRecord] = []
        var counts = storedDecisions
        for (k, stream) in streams.enumerated() where storedDecisions[k] < stream.decisions.count {
            items += stream.decisions[storedDecisions[k]...].map { decision in
                (decision: decision, symbol: symbols[decision.instrument.index],
                 clientOrderID: decision.orderID.flatMap { venue.order($0)?.clientOrderID }, strategy: stream.strategy ?? settings.strategy)
            }
            counts[k] = stream.decisions.count
        }
        return (items, counts)
    }

    /// The end of a turn: its decisions and the account after it stored in one transaction, then told.
    private func recordTurn() throws {
        let (items, counts) = pendingDecisions()
        let snapshot = accountSnapshot()
        if let store, let runID { try store.recordTurn(runID: runID, decisions: items, snapshot: snapshot, bars: handledBars) }
        handledBars.removeAll()
        storedDecisions = counts
        try publish(items)
        publish(snapshot)
        releaseStoredPast()
    }

    /// With the turn stored, the kernel forgets what lies beyond the retention window (bars,
    /// equity points into the run's summary) and its record bound (fills, trips, stored decisions,
    /// settled orders with the broker's ids for them): memory stays flat however long the bot runs.
    private func releaseStoredPast() {
        let retention = settings.retention
        releasedFills += kernel.releaseLiveRecords(retention, foldingEquityInto: &equitySummary)
        let oldOrders = retention.excessRecords(venue.orders.count)
        if oldOrders > 0 {
            for id in venue.forgetOldestOrders(oldOrders) {
                brokerIDs[id.value] = nil
                brokerClientIDs[id.value] = nil
            }
        }
        let forget = storedDecisions.map { retention.excessRecords($0) }
        guard forget.contains(where: { $0 > 0 }) else { return }
        kernel.forgetDecisions(forget)
        storedDecisions = zip(storedDecisions, forget).map { $0 - $1 }
    }

    private func persistDecisions() throws {
        let (items, counts) = pendingDecisions()
        guard !items.isEmpty else { return }
        if let store, let runID { try store.appendDecisions(runID: runID, items) }
        storedDecisions = counts
        try publish(items)
    }

    /// Stored decisions to the control plane and the decision log.
    private func publish(_ items: [DecisionRecord]) throws {
        guard !items.isEmpty else { return }
        if let telemetry {
            for item in items {
                let decision = item.decision
                telemetry.publish(.decision(bot: botName, time: decision.timestamp, symbol: item.symbol, action: decision.action.map { "\($0)" },
                                            outcome: decision.outcome.rawValue, reason: decision.reason.code, detail: decision.detail))
            }
        }
        try decisionLog?.record(items)
    }

    /// Stops new orders, cancels or leaves working ones, saves decisions and risk state, closes the run.
    /// A turn failed (the broker past its retries, the store, a mark beyond the books' range): what can
    /// still be saved is saved before the error stops the bot. Working orders are canceled when the bot
    /// cancels at stop, then decisions, risk and learning state, a last snapshot, and the run closed at
    /// its last equity. Each step is tried on its own; what fails is logged, and a restart reconciles
    /// the rest with the broker as after a crash.
    private func closeAfterFailure(_ error: any Error) async {
        log("stopping after an error (\(error)); closing the run")
        if settings.cancelOpenOrdersOnStop && !settings.dryRun {
            cancel: for index in kernel.instruments.indices {
                for order in venue.openOrders(InstrumentID(index)) {
                    do {
                        if try await cancelSent(order) { report.canceledAtStop += 1 }
                    } catch {
                        log("closing: working orders could not be canceled (\(error)); they stay at the broker")
                        break cancel
                    }
                }
            }
            do { report.canceledAtStop += try await cancelWorkingOptionOrders() } catch {
                log("closing: working option orders could not be canceled (\(error)); they stay at the broker")
            }
        }
        do { try persistDecisions() } catch { log("closing: decisions could not be stored (\(error))") }
        if let store {
            do {
                for state in try kernel.statesToSave(strategy: settings.strategy) { try store.saveState(state.key, json: state.json, at: WallClock.now()) }
            } catch {
                log("closing: risk and strategy state could not be saved (\(error))")
            }
        }
        do { try recordSnapshot() } catch { log("closing: the last snapshot could not be stored (\(error))") }
        if let store, let runID {
            do { try store.finishRun(runID, bars: report.liveBars, finalEquity: kernel.accountEquity) } catch {
                log("closing: the run could not be closed (\(error))")
            }
        }
    }

    private func shutdown() async throws {
        if settings.cancelOpenOrdersOnStop && !settings.dryRun {
            for index in kernel.instruments.indices {
                for order in venue.openOrders(InstrumentID(index)) where try await cancelSent(order) {
                    report.canceledAtStop += 1
                }
            }
            report.canceledAtStop += try await cancelWorkingOptionOrders()
            // Their final state over REST: the stream may not have told of the cancels yet.
            try await askAboutWorkingOrders()
            try await askAboutWorkingOptionOrders()
        }
        try persistDecisions()
        if let store {
            for state in try kernel.statesToSave(strategy: settings.strategy) { try store.saveState(state.key, json: state.json, at: WallClock.now()) }
        }
        try recordSnapshot()
        report.fills = kernel.fills
        report.fillCount = releasedFills + kernel.fills.count
        report.ordersInMemory = venue.orders.count + venue.openOrderCountOlderThanKept
        report.orderCount = venue.orderCount
        report.equitySummary = equitySummary?.adding(kernel.equityCurve)
        report.equity = kernel.accountEquity
        report.decisionCounts = kernel.decisionCounts
        report.brokerEquity = try? await broker.account().equity
        report.streamConnections = await inbox.connections
        report.streamDrops = await inbox.drops
        report.streamBars = bell.total
        if let store, let runID { try store.finishRun(runID, bars: report.liveBars, finalEquity: report.equity) }
    }
}
