import PeregrineCore

/// The in-process exchange of a backtest. Orders rest until a later bar (no look-ahead) and fill
/// against that bar's open, high, low and close by the rules of `FillRules`; costs come from the
/// commission and slippage models; a volume cap splits large orders across bars. Reports fills and
/// status changes through `events`, which the engine drains after every call. A class: it owns
/// the order book and is shared by the engine and the strategy context.
public final class SimulatedVenue {
    public let instruments: [Instrument]
    public let configuration: VenueConfiguration

    /// What the venue knows of one instrument's market: bars seen, the latest bar, volume taken.
    struct InstrumentCursor {
        /// Bars processed; the sequence number of the latest bar (0 before the first).
        var barSequence = 0
        var lastTimestamp: Int64 = 0
        var lastClose = Price.zero
        /// Volume already filled on the latest bar, for the volume cap.
        var volumeUsed: Int128 = 0
    }
    /// Session clocks per instrument (calendar and bar interval, with a one-day cache).
    @exclusivity(unchecked) var clocks: [SessionClock]
    let clientOrderPrefix: String

    /// Every order ever accepted or rejected, indexed by `OrderID.value`.
    @exclusivity(unchecked) public private(set) var orders: [Order] = []
    /// What the venue remembers of each order from `firstStateOrder` on (`states[k]` is order
    /// `firstStateOrder + k`'s): a state matters only while its order works, so the states of the
    /// oldest settled orders are let go (`trimStates`), and a run keeps a few hundred, not one an order.
    @exclusivity(unchecked) var states: [OrderState] = []
    @exclusivity(unchecked) var firstStateOrder = 0
    /// The count of states at which `addOrder` next looks for settled ones to let go.
    @exclusivity(unchecked) var nextStateTrim = 256
    /// Indices of working orders per instrument, in submission order.
    @exclusivity(unchecked) var working: [[Int]]
    /// Per-instrument market state in one preallocated buffer: written every bar, so no
    /// copy-on-write check.
    let cursors: UnsafeMutableBufferPointer<InstrumentCursor>
    /// Client order ids chosen by the strategy (generated ones cannot repeat and are not kept here).
    @exclusivity(unchecked) var chosenClientOrderIDs: Set<String> = []
    @exclusivity(unchecked) var generatedClientOrderIDs: ClientOrderIDSequence

    /// Fills and status changes since the engine last drained them.
    @exclusivity(unchecked) public var events: [VenueEvent] = []
    /// Whether status changes go into `events` (fills always do). A backtest whose strategy does
    /// not observe order updates turns them off: two events an order that nobody read, each
    /// drained, copied and destroyed by the kernel.
    @exclusivity(unchecked) public var reportsOrderUpdates = true
    public var hasEvents: Bool { !events.isEmpty }

    public init(instruments: [Instrument], configuration: VenueConfiguration, barIntervals: [Int64],
                clientOrderPrefix: String = "pg") {
        precondition(barIntervals.count == instruments.count)
        self.instruments = instruments
        self.configuration = configuration
        self.clocks = zip(instruments, barIntervals).map { instrument, interval in
            SessionClock(calendar: configuration.calendar ?? instrument.assetClass.defaultCalendar, interval: interval)
        }
        self.clientOrderPrefix = clientOrderPrefix
        self.generatedClientOrderIDs = ClientOrderIDSequence(prefix: clientOrderPrefix)
        let count = instruments.count
        working = Array(repeating: [], count: count)
        cursors = .allocate(capacity: count)
        cursors.initialize(repeating: InstrumentCursor())
    }

    deinit { cursors.deallocate() }

    // MARK: - Queries

    public func order(_ id: OrderID) -> Order? { orders.indices.contains(id.value) ? orders[id.value] : nil }

    /// Working orders of one instrument (legs waiting for their entry included).
    public func openOrders(_ instrument: InstrumentID) -> [Order] { working[instrument.index].map { orders[$0] } }

    public func hasOpenOrders(_ instrument: InstrumentID) -> Bool { !working[instrument.index].isEmpty }

    /// The matching state of order `index`, one at or after `firstStateOrder` (a working order, or
    /// one that has just ended).
    private subscript(state index: Int) -> OrderState {
        @inline(__always) get { states[index &- firstStateOrder] }
        @inline(__always) _modify { yield &states[index &- firstStateOrder] }
    }

    /// Orders whose matching state the venue still keeps: the working ones and those since the
    /// oldest of them, a few hundred however long the run (its orders themselves are all kept).
    public var ordersWithState: Int { states.count }

    /// The exchange-local session day of a time, on an instrument's calendar (for daily risk limits),
    /// and the time before which later times share it.
    public func sessionDay(of time: Timestamp, instrument: InstrumentID) -> (day: Int64, until: Int64) {
        clocks[instrument.index].day(ofBarStarting: time)
    }

    /// Latest close of an instrument: the reference for trailing stops and cost estimates.
    public func lastClose(_ instrument: InstrumentID) -> Price? {
        cursors[instrument.index].barSequence > 0 ? cursors[instrument.index].lastClose : nil
    }

    /// Unfilled quantity of working orders on one side that would open or add (entries and simple orders).
    public func pendingQuantity(_ instrument: InstrumentID, side: OrderSide) -> Quantity {
        var total = Quantity.zero
        for index in working[instrument.index] where countsAsPending(orders[index], side: side) {
            total += orders[index].remainingQuantity
        }
        return total
    }

    @inline(__always)
    public func countsAsPending(_ order: Order, side: OrderSide) -> Bool {
        order.side == side && (order.legRole == .standalone || order.legRole == .entry)
    }

    /// Room for `count` orders, so the order book does not grow (and copy itself) during a run;
    /// capacity not written is never paged in.
    func reserveOrders(_ count: Int) {
        orders.reserveCapacity(count)
    }

    // MARK: - Submission and cancellation

    /// Accepts an order (with its legs) or rejects it with a reason. It rests until a later bar.
    public func submit(_ request: OrderRequest, at time: Timestamp) -> Result<OrderID, Rejection> {
        let i = request.instrument.index
        guard instruments.indices.contains(i) else {
            return .failure(Rejection(.unknownInstrument, "no instrument with index \(i)"))
        }
        if let problem = request.validate(lotSize: instruments[i].lotSize, tickSize: instruments[i].tickSize) {
            return .failure(problem)
        }
        let clientID: DeferredClientOrderID
        if let chosen = request.clientOrderID {
            if let problem = checkClientOrderID(chosen) { return .failure(problem) }
            clientID = DeferredClientOrderID(chosen)
            chosenClientOrderIDs.insert(chosen)
            if request.orderClass != .simple {
                chosenClientOrderIDs.insert(chosen + "-tp")
                chosenClientOrderIDs.insert(chosen + "-sl")
            }
        } else {
            clientID = generatedClientOrderIDs.take()
        }

        switch request.orderClass {
        case .simple:
            return .success(addOrder(request, clientID: clientID, at: time, role: .standalone, parent: nil))
        case .bracket, .oto:
            let entryID = addOrder(request, clientID: clientID, at: time, role: .entry, parent: nil,
                                   groupClass: request.orderClass)
            var legs: [Int] = []
            if let takeProfit = request.takeProfit {
                legs.append(addLeg(takeProfitLeg(of: request, price: takeProfit, side: request.side.opposite),
                                   clientID: DeferredClientOrderID(clientID.text + "-tp"), at: time, role: .takeProfit, parent: entryID,
                                   groupClass: request.orderClass))
            }
            if let stopLoss = request.stopLoss {
                legs.append(addLeg(stopLossLeg(of: request, stop: stopLoss, side: request.side.opposite),
                                   clientID: DeferredClientOrderID(clientID.text + "-sl"), at: time, role: .stopLoss, parent: entryID,
                                   groupClass: request.orderClass))
            }
            self[state: entryID.value].children = OrderLegs(legs)
            linkSiblings(legs)
            return .success(entryID)
        case .oco:
            let firstID = addOrder(takeProfitLeg(of: request, price: request.takeProfit!, side: request.side),
                                   clientID: clientID, at: time, role: .takeProfit, parent: nil, groupClass: .oco)
            let secondID = addOrder(stopLossLeg(of: request, stop: request.stopLoss!, side: request.side),
                                    clientID: DeferredClientOrderID(clientID.text + "-sl"), at: time, role: .stopLoss, parent: firstID,
                                    groupClass: .oco)
            linkSiblings([firstID.value, secondID.value])
            return .success(firstID)
        }
    }

    /// Cancels a working order; canceling one leg of a pair cancels the other, canceling an entry
    /// cancels its legs (or starts them for the part already filled).
    public func cancel(_ id: OrderID, at time: Timestamp) -> Rejection? {
        guard orders.indices.contains(id.value) else { return Rejection(.unknownOrder, "no order \(id)") }
        guard orders[id.value].status.isWorking else {
            return Rejection(.notCancelable, "order \(orders[id.value].clientOrderID) is already \(orders[id.value].status)")
        }
        finish(id.value, as: .canceled, reason: "canceled by request", at: time,
               seq: cursors[orders[id.value].instrument.index].barSequence)
        if let sibling = self[state: id.value].sibling, orders[sibling].status.isWorking {
            finish(sibling, as: .canceled, reason: "partner order canceled", at: time, seq: 0)
        }
        working[orders[id.value].instrument.index].removeAll { orders[$0].status.isTerminal }
        return nil
    }

    /// Replaces a working simple order with `request` (Alpaca's PATCH): the old order ends
    /// `replaced` and the new one, with its own client order id, rests from now. Orders in groups and
    /// orders that have partly filled are refused, as is a new request that would itself be refused,
    /// in which case the old order keeps working.
    public func replace(_ id: OrderID, with request: OrderRequest, at time: Timestamp) -> Result<OrderID, Rejection> {
        guard orders.indices.contains(id.value) else { return .failure(Rejection(.unknownOrder, "no order \(id)")) }
        let old = orders[id.value]
        guard old.status.isWorking else {
            return .failure(Rejection(.notCancelable, "order \(old.clientOrderID) is already \(old.status)"))
        }
        guard old.orderClass == .simple, old.legRole == .standalone, request.orderClass == .simple,
              request.instrument == old.instrument, request.side == old.side else {
            return .failure(Rejection(.invalidOrder, "only a simple order can be replaced, by one on the same instrument and side"))
        }
        guard old.filledQuantity.isZero else {
            return .failure(Rejection(.invalidOrder, "order \(old.clientOrderID) has partly filled; cancel it instead"))
        }
        if let problem = request.validate(for: instruments[request.instrument.index]) { return .failure(problem) }
        if let chosen = request.clientOrderID, let problem = checkClientOrderID(chosen) { return .failure(problem) }
        if orders[id.value].status == .new { try! orders[id.value].transition(to: .accepted, at: time) }
        try! orders[id.value].transition(to: .pendingReplace, at: time)
        finish(id.value, as: .replaced, reason: "replaced by request", at: time, seq: cursors[old.instrument.index].barSequence)
        working[old.instrument.index].removeAll { $0 == id.value }
        return submit(request, at: time)
    }

    /// Generated ids are `PREFIX-N` with N counting up (`generatedClientOrderIDs`), so they never
    /// repeat; ids a strategy chooses are kept in a set and may not use the generated form.
    private func checkClientOrderID(_ id: String) -> Rejection? {
        if id.isEmpty || id.utf8.count > 128 {
            return Rejection(.invalidOrder, "client order id must have 1 to 128 characters")
        }
        if id.hasPrefix(clientOrderPrefix + "-") {
            return Rejection(.invalidOrder, "client order ids starting with '\(clientOrderPrefix)-' are reserved for generated ids")
        }
        if chosenClientOrderIDs.contains(id) {
            return Rejection(.duplicateClientOrderID, "client order id '\(id)' was used before")
        }
        return nil
    }

    private func takeProfitLeg(of request: OrderRequest, price: Price, side: OrderSide) -> OrderRequest {
        OrderRequest(instrument: request.instrument, side: side, quantity: request.quantity, type: .limit,
                     timeInForce: request.timeInForce, limitPrice: price)
    }

    private func stopLossLeg(of request: OrderRequest, stop: Price, side: OrderSide) -> OrderRequest {
        OrderRequest(instrument: request.instrument, side: side, quantity: request.quantity,
                     type: request.stopLossLimit == nil ? .stop : .stopLimit, timeInForce: request.timeInForce,
                     limitPrice: request.stopLossLimit, stopPrice: stop)
    }

    private func linkSiblings(_ legs: [Int]) {
        guard legs.count == 2 else { return }
        self[state: legs[0]].sibling = legs[1]
        self[state: legs[1]].sibling = legs[0]
    }

    private func addLeg(_ request: OrderRequest, clientID: DeferredClientOrderID, at time: Timestamp,
                                 role: Order.LegRole, parent: OrderID, groupClass: OrderClass) -> Int {
        let id = addOrder(request, clientID: clientID, at: time, role: role, parent: parent, groupClass: groupClass)
        self[state: id.value].activeFromSeq = .max
        return id.value
    }

    private func addOrder(_ request: OrderRequest, clientID: DeferredClientOrderID, at time: Timestamp,
                                   role: Order.LegRole, parent: OrderID?, groupClass: OrderClass = .simple) -> OrderID {
        let i = request.instrument.index
        if states.count >= nextStateTrim { trimStates() }
        let id = OrderID(orders.count)
        // Built in the book and changed there: a local order appended afterwards was copied.
        orders.append(Order(id: id, clientOrderID: clientID, request: request, submittedAt: time, parentID: parent,
                            legRole: role))
        orders[id.value].orderClass = groupClass
        try! orders[id.value].transition(to: .accepted, at: time)  // new -> accepted is always legal
        let cursor = cursors[i]
        let seq = cursor.barSequence
        let session = seq > 0 ? position(of: cursor.lastTimestamp, instrument: i) : nil
        states.append(OrderState(
            submittedSeq: seq, activeFromSeq: seq + 1, submittedDay: session?.day ?? .min,
            submittedAfterClose: session?.isAfterClose ?? true, boundDay: nil,
            watermark: seq > 0 ? cursor.lastClose : .zero))
        working[i].append(id.value)
        if reportsOrderUpdates { events.append(.orderUpdated(id)) }
        return id
    }

    /// Lets go of the states of orders older than every working one. A working order's state and
    /// those of its group are never below it: legs come after their entry, and an OCO leg's partner
    /// is canceled the moment it ends. A long-resting order holds the window open; the next look
    /// then waits until the states have doubled, so looking costs O(1) an order.
    private func trimStates() {
        var oldestWorking = firstStateOrder + states.count
        for list in working { if let first = list.first { oldestWorking = min(oldestWorking, first) } }
        let settled = oldestWorking - firstStateOrder
        if settled > 0 {
            states.removeFirst(settled)
            firstStateOrder = oldestWorking
        }
        nextStateTrim = max(256, 2 * states.count)
    }

    private func position(of timestamp: Int64, instrument: Int) -> SessionPosition {
        clocks[instrument].position(ofBarStarting: Timestamp(nanoseconds: timestamp))
    }

    // MARK: - Matching

    /// Fills resting orders of `instrument` against `bar`, which must be later than every bar seen.
    public func process(bar: Bar, instrument: InstrumentID) {
        let i = instrument.index
        let previous = cursors[i]
        cursors[i] = InstrumentCursor(barSequence: previous.barSequence + 1, lastTimestamp: bar.timestamp.nanoseconds,
                                      lastClose: bar.close, volumeUsed: 0)
        guard !working[i].isEmpty else { return }
        let seq = previous.barSequence + 1
        let session = position(of: bar.timestamp.nanoseconds, instrument: i)
        let previousBar: Int64? = previous.barSequence == 0 ? nil : previous.lastTimestamp
        var k = 0
        while k < working[i].count {
            let index = working[i][k]
            k += 1
            guard orders[index].status.isWorking, self[state: index].activeFromSeq <= seq, self[state: index].examinedSeq < seq
            else { continue }
            examine(index, bar: bar, seq: seq, session: session, previousBar: previousBar)
        }
        // Most often one order works, and it filled: emptied without the general removal.
        if working[i].count == 1 {
            if orders[working[i][0]].status.isTerminal { working[i].removeAll(keepingCapacity: true) }
        } else {
            working[i].removeAll { orders[$0].status.isTerminal }
        }
    }

    /// Bars on which the instrument has no working order: only its cursor moves, to the last of them.
    public func processQuietBars(_ columns: BarSeries.Columns, from: Int, to: Int, instrument: InstrumentID) {
        let i = instrument.index
        guard to > from else { return }
        guard working[i].isEmpty else {
            for k in from..<to { process(bar: columns[k], instrument: instrument) }
            return
        }
        cursors[i] = InstrumentCursor(barSequence: cursors[i].barSequence + (to - from), lastTimestamp: columns.timestamps[to - 1],
                                      lastClose: Price(units: columns.closes[to - 1]), volumeUsed: 0)
    }

    /// With `FillTiming.close`: fills market orders sent on this bar at this bar's close.
    public func fillMarketOrdersAtClose(bar: Bar, instrument: InstrumentID) {
        let i = instrument.index
        let seq = cursors[i].barSequence
        var filledAny = false
        for index in working[i] where orders[index].type == .market && self[state: index].submittedSeq == seq
            && self[state: index].activeFromSeq == seq + 1 && orders[index].status.isWorking
            && orders[index].timeInForce != .opg && orders[index].timeInForce != .cls {
            let quote = FillRules.Quote(price: bar.close, atOpen: false, slippable: true)
            if execute(index, quote: quote, bar: bar, seq: seq) { filledAny = true }
            if orders[index].timeInForce == .ioc || orders[index].timeInForce == .fok, orders[index].status.isWorking {
                finish(index, as: .canceled, reason: "\(orders[index].timeInForce) remainder canceled", at: bar.timestamp, seq: seq)
            }
        }
        if filledAny { working[i].removeAll { orders[$0].status.isTerminal } }
    }

    /// `previousBar`: the start of the instrument's bar before this one (nil: none), to tell whether
    /// this bar opens its session; worked out only for an opening order, the one kind that asks.
    private func examine(_ index: Int, bar: Bar, seq: Int, session: SessionPosition, previousBar: Int64?) {
        let tif = orders[index].timeInForce
        self[state: index].examinedSeq = seq
        if tif == .day || tif == .opg || tif == .cls {
            if self[state: index].boundDay == nil {
                if !self[state: index].submittedAfterClose {
                    self[state: index].boundDay = self[state: index].submittedDay
                } else if session.day > self[state: index].submittedDay {
                    self[state: index].boundDay = session.day
                } else {
                    return  // sent after the close: waits for the next session
                }
            }
            if session.day > self[state: index].boundDay! {
                finish(index, as: .expired, reason: "\(tif) order expired at the end of its session", at: bar.timestamp, seq: seq)
                return
            }
        }
        guard session.isInSession else { return }
        if tif == .opg, let previousBar,
           position(of: previousBar, instrument: orders[index].instrument.index).day == session.day {
            finish(index, as: .expired, reason: "opening auction has passed", at: bar.timestamp, seq: seq)
            return
        }
        if tif == .cls && !session.endsSession { return }

        if let sibling = self[state: index].sibling, orders[sibling].status.isWorking,
           self[state: sibling].activeFromSeq <= seq, self[state: sibling].examinedSeq < seq {
            self[state: sibling].examinedSeq = seq
            examinePair(index, sibling, bar: bar, seq: seq)
            return
        }
        let quote = FillRules.quote(for: fillTerms(index), state: &self[state: index], bar: bar)
        if let quote { _ = execute(index, quote: quote, bar: bar, seq: seq) }
        if (tif == .ioc || tif == .fok), orders[index].status.isWorking {
            finish(index, as: .canceled, reason: "\(tif) could not fill on first contact", at: bar.timestamp, seq: seq)
        }
    }

    /// Take-profit and stop-loss legs examined together: when both trade in one bar, the leg that
    /// traded at the open came first; otherwise `bracketAmbiguity` decides.
    private func examinePair(_ first: Int, _ second: Int, bar: Bar, seq: Int) {
        let quoteFirst = FillRules.quote(for: fillTerms(first), state: &self[state: first], bar: bar)
        let quoteSecond = FillRules.quote(for: fillTerms(second), state: &self[state: second], bar: bar)
        switch (quoteFirst, quoteSecond) {
        case (nil, nil):
            return
        case (let quote?, nil):
            _ = execute(first, quote: quote, bar: bar, seq: seq)
        case (nil, let quote?):
            _ = execute(second, quote: quote, bar: bar, seq: seq)
        case (let a?, let b?):
            let firstWins: Bool
            if a.atOpen != b.atOpen {
                firstWins = a.atOpen
            } else {
                let firstIsStop = orders[first].legRole == .stopLoss
                firstWins = (configuration.bracketAmbiguity == .stopFirst) == firstIsStop
            }
            _ = firstWins ? execute(first, quote: a, bar: bar, seq: seq) : execute(second, quote: b, bar: bar, seq: seq)
        }
    }

    /// The order's terms for `FillRules`, read field by field from the book.
    @inline(__always)
    private func fillTerms(_ index: Int) -> FillRules.Terms {
        FillRules.Terms(type: orders[index].type, timeInForce: orders[index].timeInForce, side: orders[index].side,
                        limitPrice: orders[index].limitPrice, stopPrice: orders[index].stopPrice, trail: orders[index].trail)
    }

    /// Fills as much of the order as the bar's volume allows at `quote`; returns whether it filled.
    private func execute(_ index: Int, quote: FillRules.Quote, bar: Bar, seq: Int) -> Bool {
        let i = orders[index].instrument.index
        let remaining = orders[index].remainingQuantity
        var quantity = remaining
        if let cap = configuration.maxVolumeShare {
            let allowed = bar.volume.multiplied(byPartsPerBillion: cap.partsPerBillion).units
            let available = Quantity(units: max(0, allowed - cursors[i].volumeUsed)).rounded(downToLot: instruments[i].lotSize)
            quantity = min(quantity, available)
        }
        if orders[index].timeInForce == .fok && quantity < remaining {
            finish(index, as: .canceled, reason: "fok: only \(quantity) of \(remaining) available in the bar",
                   at: bar.timestamp, seq: seq)
            return false
        }
        guard quantity.units > 0 else { return false }
        let side = orders[index].side
        var price = quote.price
        if quote.slippable {
            price = configuration.slippage.apply(to: price, side: side, quantity: quantity, barVolume: bar.volume,
                                                 tick: instruments[i].tickSize)
        }
        let commission = configuration.commission.commission(
            fillQuantity: quantity, fillPrice: price, orderFilledBefore: orders[index].filledQuantity,
            orderChargedBefore: self[state: index].commissionCharged)
        try! orders[index].applyFill(quantity: quantity, price: price, at: bar.timestamp)
        self[state: index].commissionCharged += commission
        cursors[i].volumeUsed += quantity.units
        let id = orders[index].id
        events.append(.fill(Fill(orderID: id, clientOrderID: orders[index].deferredClientOrderID,
                                 instrument: orders[index].instrument, side: side, quantity: quantity, price: price,
                                 commission: commission, timestamp: bar.timestamp)))
        if reportsOrderUpdates { events.append(.orderUpdated(id)) }
        afterFill(index, atOpen: quote.atOpen, at: bar.timestamp, seq: seq)
        return true
    }

    private func afterFill(_ index: Int, atOpen: Bool, at time: Timestamp, seq: Int) {
        if orders[index].status == .filled {
            // Legs start in the same bar only when the entry filled at the open: the rest of that
            // bar then truly happened after the entry.
            activateChildren(of: index, quantity: orders[index].filledQuantity, fromSeq: atOpen ? seq : seq + 1)
        }
        if let sibling = self[state: index].sibling, orders[sibling].status.isWorking {
            if orders[index].status == .filled {
                finish(sibling, as: .canceled, reason: "partner order filled", at: time, seq: seq)
            } else {
                let target = orders[sibling].filledQuantity + orders[index].remainingQuantity
                orders[sibling].reduceQuantity(to: target)
            }
        }
    }

    private func activateChildren(of index: Int, quantity: Quantity, fromSeq: Int) {
        for child in self[state: index].children where orders[child].status.isWorking {
            orders[child].reduceQuantity(to: quantity)
            self[state: child].activeFromSeq = fromSeq
            // The leg is new to the market: its trailing/session reference starts now.
            self[state: child].submittedSeq = fromSeq - 1
        }
    }

    /// Ends a working order and settles its group: legs of an entry that never filled are canceled;
    /// legs of a partly filled entry start working for the filled part.
    private func finish(_ index: Int, as status: OrderStatus, reason: String, at time: Timestamp, seq: Int) {
        try! orders[index].transition(to: status, at: time)
        orders[index].reason = reason
        if reportsOrderUpdates { events.append(.orderUpdated(orders[index].id)) }
        let children = self[state: index].children
        guard !children.isEmpty else { return }
        let filled = orders[index].filledQuantity
        if filled.units > 0 {
            activateChildren(of: index, quantity: filled, fromSeq: seq + 1)
        } else {
            for child in children where orders[child].status.isWorking {
                try! orders[child].transition(to: .canceled, at: time)
                orders[child].reason = "entry order \(status) without a fill"
                if reportsOrderUpdates { events.append(.orderUpdated(orders[child].id)) }
            }
        }
    }
}
