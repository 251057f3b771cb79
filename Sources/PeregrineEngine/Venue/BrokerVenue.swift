import PeregrineCore

/// The order book of a strategy trading through a broker. The strategy's orders are accepted
/// locally (checked, given a client order id) and queued in `outbox`; the trading runtime sends
/// them and reports back what the broker says, which becomes fills and status changes in `events`,
/// exactly as the simulated venue reports them in a backtest. The broker does the matching.
public final class BrokerVenue: ExecutionVenue {
    /// Something the runtime must do at the broker.
    public enum Instruction: Equatable, Sendable {
        /// Send this order (its request carries the client order id).
        case submit(OrderID, OrderRequest)
        case cancel(OrderID)
    }

    public let instruments: [Instrument]
    @exclusivity(unchecked) public var events: [VenueEvent] = []
    public var hasEvents: Bool { !events.isEmpty }
    /// The orders kept, oldest first: `orders[k]` has id `firstKeptOrder + k`. A bot running for
    /// months forgets settled orders past its record bound (`forgetOldestOrders`); the store has them.
    @exclusivity(unchecked) public private(set) var orders: [Order] = []
    /// The id of `orders[0]`: how many orders the book has forgotten or moved to `olderWorking`.
    public private(set) var firstKeptOrder = 0
    /// Orders older than the kept ones still working (a resting stop may outlive hundreds of trades).
    @exclusivity(unchecked) private var olderWorking: [Int: Order] = [:]
    /// Instructions not yet taken by the runtime, in order.
    @exclusivity(unchecked) public private(set) var outbox: [Instruction] = []
    /// Option orders the strategy placed, not yet taken by the runtime (see `BrokerVenue+Options`).
    @exclusivity(unchecked) public internal(set) var optionOutbox: [OptionOrder] = []
    /// Working order indices per instrument.
    @exclusivity(unchecked) private var working: [[Int]]
    /// Order indices by client order id, for the broker's reports, which name orders that way.
    @exclusivity(unchecked) private var byClientOrderID: [String: Int] = [:]
    @exclusivity(unchecked) private var lastCloses: [Price?]
    @exclusivity(unchecked) private var clocks: [SessionClock]
    /// Unique per run (a restart gets a new one), so client order ids never repeat across runs.
    public let clientOrderPrefix: String
    @exclusivity(unchecked) private var sequence = 0

    public init(instruments: [Instrument], calendar: TradingCalendar? = nil, barIntervals: [Int64], clientOrderPrefix: String) {
        precondition(barIntervals.count == instruments.count)
        self.instruments = instruments
        self.clientOrderPrefix = clientOrderPrefix
        working = Array(repeating: [], count: instruments.count)
        lastCloses = Array(repeating: nil, count: instruments.count)
        clocks = zip(instruments, barIntervals).map { instrument, interval in
            SessionClock(calendar: calendar ?? instrument.assetClass.defaultCalendar, interval: max(interval, 1))
        }
    }

    // MARK: - ExecutionVenue

    public var orderCount: Int { firstKeptOrder + orders.count }
    /// Orders held apart from the kept ones because they were still working when their turn to go came.
    public var openOrderCountOlderThanKept: Int { olderWorking.count }

    public func order(_ id: OrderID) -> Order? {
        let k = id.value - firstKeptOrder
        return k >= 0 ? (k < orders.count ? orders[k] : nil) : olderWorking[id.value]
    }

    /// Changes an order the book holds; false when it holds none with this id.
    @discardableResult
    private func update(_ id: OrderID, _ change: (inout Order) -> Void) -> Bool {
        let k = id.value - firstKeptOrder
        if k >= 0 {
            guard k < orders.count else { return false }
            change(&orders[k])
            return true
        }
        guard var order = olderWorking[id.value] else { return false }
        change(&order)
        olderWorking[id.value] = order
        return true
    }
    /// The local id of the order with this client order id, if this book holds it.
    public func orderID(clientOrderID: String) -> OrderID? { byClientOrderID[clientOrderID].map(OrderID.init) }
    public func openOrders(_ instrument: InstrumentID) -> [Order] { working[instrument.index].compactMap { order(OrderID($0)) } }
    public func hasOpenOrders(_ instrument: InstrumentID) -> Bool { !working[instrument.index].isEmpty }
    public func sessionDay(of time: Timestamp, instrument: InstrumentID) -> (day: Int64, until: Int64) {
        clocks[instrument.index].day(ofBarStarting: time)
    }
    public func lastClose(_ instrument: InstrumentID) -> Price? { lastCloses[instrument.index] }

    public func pendingQuantity(_ instrument: InstrumentID, side: OrderSide) -> Quantity {
        var total = Quantity.zero
        // An order whose cancel is on its way no longer counts, as in a backtest where a cancel is immediate.
        for index in working[instrument.index] {
            guard let order = order(OrderID(index)), countsAsPending(order, side: side) else { continue }
            total += order.remainingQuantity
        }
        return total
    }

    public func countsAsPending(_ order: Order, side: OrderSide) -> Bool { order.side == side && order.status != .pendingCancel }

    /// Accepts an order locally and queues it for the broker. A bracket or OTO is the entry with
    /// its legs (take-profit limit, stop-loss stop), an OCO the take-profit limit with the stop-loss as
    /// its leg, laid out as the simulated venue lays them out (legs `ID-tp` and `ID-sl`, working but
    /// waiting for their entry); the broker holds the group and matches it, and `linkLegs` ties the
    /// broker's legs to these once it has acknowledged the order.
    public func submit(_ request: OrderRequest, at time: Timestamp) -> Result<OrderID, Rejection> {
        let i = request.instrument.index
        guard instruments.indices.contains(i) else {
            return .failure(Rejection(.unknownInstrument, "no instrument with index \(i)"))
        }
        if let problem = request.validate(for: instruments[i]) { return .failure(problem) }
        var request = request
        if request.clientOrderID == nil {
            sequence += 1
            request.clientOrderID = "\(clientOrderPrefix)-\(sequence)"
        }
        let clientID = request.clientOrderID!
        let first: OrderID
        switch request.orderClass {
        case .simple:
            first = add(request, clientID: clientID, at: time, role: .standalone, parent: nil)
        case .bracket, .oto:
            first = add(request, clientID: clientID, at: time, role: .entry, parent: nil)
            if let takeProfit = request.takeProfit {
                _ = add(OrderRequest(instrument: request.instrument, side: request.side.opposite, quantity: request.quantity, type: .limit,
                                     timeInForce: request.timeInForce, limitPrice: takeProfit),
                        clientID: clientID + "-tp", at: time, role: .takeProfit, parent: first, groupClass: request.orderClass)
            }
            if let stopLoss = request.stopLoss {
                _ = add(stopLossLeg(of: request, side: request.side.opposite, stop: stopLoss),
                        clientID: clientID + "-sl", at: time, role: .stopLoss, parent: first, groupClass: request.orderClass)
            }
        case .oco:
            first = add(OrderRequest(instrument: request.instrument, side: request.side, quantity: request.quantity, type: .limit,
                                     timeInForce: request.timeInForce, limitPrice: request.takeProfit),
                        clientID: clientID, at: time, role: .takeProfit, parent: nil, groupClass: .oco)
            _ = add(stopLossLeg(of: request, side: request.side, stop: request.stopLoss!),
                    clientID: clientID + "-sl", at: time, role: .stopLoss, parent: first, groupClass: .oco)
        }
        outbox.append(.submit(first, request))
        return .success(first)
    }

    private func stopLossLeg(of request: OrderRequest, side: OrderSide, stop: Price) -> OrderRequest {
        OrderRequest(instrument: request.instrument, side: side, quantity: request.quantity,
                     type: request.stopLossLimit == nil ? .stop : .stopLimit, timeInForce: request.timeInForce,
                     limitPrice: request.stopLossLimit, stopPrice: stop)
    }

    private func add(_ request: OrderRequest, clientID: String, at time: Timestamp, role: Order.LegRole, parent: OrderID?,
                     groupClass: OrderClass? = nil) -> OrderID {
        let id = OrderID(orderCount)
        var order = Order(id: id, clientOrderID: clientID, request: request, submittedAt: time, parentID: parent, legRole: role)
        if let groupClass { order.orderClass = groupClass }
        orders.append(order)
        byClientOrderID[clientID] = id.value
        working[request.instrument.index].append(id.value)
        return id
    }

    /// The legs of a group order, in the book.
    public func legs(of id: OrderID) -> [Order] {
        olderWorking.values.filter { $0.parentID == id }.sorted { $0.id.value < $1.id.value } + orders.filter { $0.parentID == id }
    }

    /// Ties the broker's legs of an acknowledged group order to the book's: a limit leg is the
    /// take-profit, a stop or stop-limit leg the stop-loss. The broker's client order ids then find
    /// them too (a broker may name legs its own way). Returns each matched local leg with its broker leg's index.
    public func linkLegs(of id: OrderID, brokerLegs: [(clientOrderID: String, type: OrderType)]) -> [(OrderID, Int)] {
        var matched: [(OrderID, Int)] = []
        for leg in legs(of: id) {
            let wanted: (OrderType) -> Bool = leg.legRole == .takeProfit ? { $0 == .limit } : { $0 == .stop || $0 == .stopLimit }
            guard let k = brokerLegs.indices.first(where: { wanted(brokerLegs[$0].type) && !matched.map(\.1).contains($0) }) else { continue }
            byClientOrderID[brokerLegs[k].clientOrderID] = leg.id.value
            matched.append((leg.id, k))
        }
        return matched
    }

    /// Queues a cancel; the order stays working until the broker confirms.
    public func cancel(_ id: OrderID, at time: Timestamp) -> Rejection? {
        guard let order = order(id) else { return Rejection(.unknownOrder, "no order \(id.value)") }
        guard !order.status.isTerminal else {
            return Rejection(.notCancelable, "order \(order.clientOrderID) is already \(order.status)")
        }
        outbox.append(.cancel(id))
        update(id) { order in
            if order.status == .new { try? order.transition(to: .accepted, at: time) }
            try? order.transition(to: .pendingCancel, at: time)
        }
        return nil
    }

    public func process(bar: Bar, instrument: InstrumentID) { lastCloses[instrument.index] = bar.close }
    public func fillMarketOrdersAtClose(bar: Bar, instrument: InstrumentID) {}

    // MARK: - What the runtime does

    /// Hands over the queued instructions.
    public func takeOutbox() -> [Instruction] {
        defer { outbox.removeAll() }
        return outbox
    }

    /// An order the broker already holds from an earlier run of this deployment (found on restart),
    /// taken into the book so its fills reach the strategy. Returns its local id.
    /// What already filled is taken as history (the adopted positions include it), not as new fills.
    public func adopt(_ request: OrderRequest, clientOrderID: String, submittedAt: Timestamp, filledQuantity: Quantity = .zero,
                      averagePrice: Price? = nil) -> OrderID {
        var request = request
        request.clientOrderID = clientOrderID
        let id = OrderID(orderCount)
        var order = Order(id: id, clientOrderID: clientOrderID, request: request, submittedAt: submittedAt)
        try? order.transition(to: .accepted, at: submittedAt)
        if filledQuantity.units > 0, filledQuantity < order.quantity, let averagePrice {
            try? order.applyFill(quantity: filledQuantity, price: averagePrice, at: submittedAt)
        }
        orders.append(order)
        byClientOrderID[clientOrderID] = id.value
        working[request.instrument.index].append(id.value)
        return id
    }

    /// What the broker says of an order now: its status and cumulative fill. Quantity beyond what
    /// the book has becomes one fill at the price that makes the cumulative average come out as the
    /// broker's (exact for a single execution), stamped `executedAt`.
    public func report(_ id: OrderID, status: OrderStatus, filledQuantity: Quantity, averagePrice: Price?,
                       executedAt: Timestamp, at time: Timestamp) {
        guard var current = order(id) else { return }
        let before = current.status
        if filledQuantity > current.filledQuantity, let average = averagePrice, !current.status.isTerminal {
            // The broker's "new" already means accepted; the book's state machine takes it in two steps.
            if current.status == .new { try? current.transition(to: .accepted, at: executedAt) }
            let quantity = min(filledQuantity, current.quantity) - current.filledQuantity
            let notional = average * min(filledQuantity, current.quantity) - current.filledNotional
            let units = (notional.units + Int128(quantity.units) / 2) / Int128(quantity.units)
            let price = Price(units: Int64(units))
            try? current.applyFill(quantity: quantity, price: price, at: executedAt)
            events.append(.fill(Fill(orderID: id, clientOrderID: current.clientOrderID, instrument: current.instrument,
                                     side: current.side, quantity: quantity, price: price, commission: .zero,
                                     timestamp: executedAt)))
        }
        if status != current.status, status != .partiallyFilled, status != .filled, status != .new {
            try? current.transition(to: status, at: time)
        }
        update(id) { $0 = current }
        if current.status.isTerminal { working[current.instrument.index].removeAll { $0 == id.value } }
        if current.status != before { events.append(.orderUpdated(id)) }
    }

    /// The broker refused the order, or it was never sent (a dry run): it ends rejected, with its legs.
    public func reject(_ id: OrderID, reason: String, at time: Timestamp) {
        guard order(id) != nil else { return }
        for target in [id] + legs(of: id).map(\.id) {
            update(target) { order in
                try? order.transition(to: .rejected, at: time)
                order.reason = reason
                working[order.instrument.index].removeAll { $0 == target.value }
            }
            events.append(.orderUpdated(target))
        }
    }

    // MARK: - A bounded past

    /// Forgets the `count` oldest orders kept, with those older ones that have settled since: a
    /// settled order goes (its client order id with it), a working one is held apart until it
    /// settles. Returns the ids forgotten, for the runtime's own notes on them. Ids go on counting
    /// from `orderCount`, so they never repeat.
    public func forgetOldestOrders(_ count: Int) -> [OrderID] {
        let count = min(max(count, 0), orders.count)
        var forgotten: [OrderID] = []
        for (key, order) in olderWorking where order.status.isTerminal {
            olderWorking[key] = nil
            forgotten.append(order.id)
        }
        for order in orders[..<count] {
            if order.status.isTerminal { forgotten.append(order.id) } else { olderWorking[order.id.value] = order }
        }
        guard !forgotten.isEmpty || count > 0 else { return [] }
        orders.removeFirst(count)
        firstKeptOrder += count
        let gone = Set(forgotten.map(\.value))
        byClientOrderID = byClientOrderID.filter { !gone.contains($0.value) }
        return forgotten.sorted { $0.value < $1.value }
    }
}
