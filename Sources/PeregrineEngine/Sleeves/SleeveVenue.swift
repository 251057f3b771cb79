import PeregrineCore

/// One sleeve's view of a venue it shares with other sleeves: it sees, cancels and counts only its
/// own orders and hears only their events, so the sleeve's kernel keeps exact books of its own.
/// Bars reach the shared venue once, through `MultiStrategyKernel`; here `process` does nothing.
public final class SleeveVenue<V: ExecutionVenue>: ExecutionVenue {
    /// The router owns the views and lives as long as the kernel that owns it and the sleeves, so a
    /// plain reference back (no reference counting on each bar) is safe.
    unowned(unsafe) let router: SleeveRouter<V>
    let shared: V
    public let sleeve: Int
    let clientOrderTag: String?
    @exclusivity(unchecked) private var sequence = 0
    @exclusivity(unchecked) public var events: [VenueEvent] = []

    init(router: SleeveRouter<V>, sleeve: Int, clientOrderTag: String?) {
        self.router = router
        self.shared = router.venue
        self.sleeve = sleeve
        self.clientOrderTag = clientOrderTag
    }

    public var hasEvents: Bool {
        if shared.hasEvents { router.route() }
        return !events.isEmpty
    }

    /// The shared venue's orders, so order ids index them as everywhere; only this sleeve's are
    /// answered by `order(_:)`.
    public var orders: [Order] { shared.orders }
    public var orderCount: Int { shared.orderCount }

    public func owns(_ id: OrderID) -> Bool { router.owner(of: id) == sleeve }

    public func order(_ id: OrderID) -> Order? { owns(id) ? shared.order(id) : nil }
    public func openOrders(_ instrument: InstrumentID) -> [Order] { shared.openOrders(instrument).filter { owns($0.id) } }
    public func hasOpenOrders(_ instrument: InstrumentID) -> Bool {
        shared.hasOpenOrders(instrument) && shared.openOrders(instrument).contains { owns($0.id) }
    }
    public func sessionDay(of time: Timestamp, instrument: InstrumentID) -> (day: Int64, until: Int64) { shared.sessionDay(of: time, instrument: instrument) }
    public func lastClose(_ instrument: InstrumentID) -> Price? { shared.lastClose(instrument) }
    public func pendingQuantity(_ instrument: InstrumentID, side: OrderSide) -> Quantity {
        var total = Quantity.zero
        for order in shared.openOrders(instrument) where owns(order.id) && shared.countsAsPending(order, side: side) {
            total += order.remainingQuantity
        }
        return total
    }
    public func countsAsPending(_ order: Order, side: OrderSide) -> Bool { shared.countsAsPending(order, side: side) }

    public func submit(_ request: OrderRequest, at time: Timestamp) -> Result<OrderID, Rejection> {
        var request = request
        if let clientOrderTag, request.clientOrderID == nil {
            sequence += 1
            request.clientOrderID = "\(clientOrderTag)-\(sequence)"
        }
        let result = shared.submit(request, at: time)
        router.claimNew(for: sleeve)
        return result
    }

    public func cancel(_ id: OrderID, at time: Timestamp) -> Rejection? {
        guard owns(id) else { return Rejection(.unknownOrder, "order \(id.value) is not this sleeve's") }
        return shared.cancel(id, at: time)
    }

    /// Nothing: the shared venue sees each bar once, before any sleeve.
    public func process(bar: Bar, instrument: InstrumentID) {}

    /// Close-timed fills: a sleeve asks right after its own bar, when only its own market orders of
    /// that bar are waiting.
    public func fillMarketOrdersAtClose(bar: Bar, instrument: InstrumentID) {
        shared.fillMarketOrdersAtClose(bar: bar, instrument: instrument)
    }
}
