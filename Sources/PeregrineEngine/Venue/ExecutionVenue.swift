import PeregrineCore

/// Where a strategy's orders go: the simulated venue of a backtest, or a broker's order book kept
/// locally while the orders themselves travel to Alpaca or the local exchange. The kernel and the
/// strategy context see only this, so the same strategy code runs against either.
public protocol ExecutionVenue: AnyObject {
    /// Fills and status changes since the kernel last drained them.
    var events: [VenueEvent] { get set }
    /// Whether `events` holds anything. The kernel asks twice per bar; reading `events` through the
    /// protocol would copy (retain and release) the array each time.
    var hasEvents: Bool { get }
    /// The orders accepted or rejected: in a backtest every one, indexed by `OrderID.value`; a live
    /// bot's broker book keeps only its latest (`BrokerVenue.forgetOldestOrders`), so look one up
    /// with `order(_:)`.
    var orders: [Order] { get }
    /// How many orders the venue has ever taken: the id the next one gets.
    var orderCount: Int { get }

    func order(_ id: OrderID) -> Order?
    /// Working orders of one instrument.
    func openOrders(_ instrument: InstrumentID) -> [Order]
    /// Whether the instrument may have working orders; false means `pendingQuantity` is zero on
    /// both sides, which the router and the signal path take without summing.
    func hasOpenOrders(_ instrument: InstrumentID) -> Bool
    /// The exchange-local session day of a time (for daily risk limits), and the time before which
    /// every later time has the same day (at least `time` plus one nanosecond), so the kernel asks
    /// once a day rather than every bar.
    func sessionDay(of time: Timestamp, instrument: InstrumentID) -> (day: Int64, until: Int64)
    /// Latest close seen: the reference price for checks and trailing stops.
    func lastClose(_ instrument: InstrumentID) -> Price?
    /// Unfilled quantity of working orders on one side that would open or add.
    func pendingQuantity(_ instrument: InstrumentID, side: OrderSide) -> Quantity
    /// Whether a working order counts toward `pendingQuantity` on `side` (a sleeve's view of a shared
    /// venue sums its own orders by the venue's rule).
    func countsAsPending(_ order: Order, side: OrderSide) -> Bool

    func submit(_ request: OrderRequest, at time: Timestamp) -> Result<OrderID, Rejection>
    func cancel(_ id: OrderID, at time: Timestamp) -> Rejection?

    /// A new bar: the simulated venue matches resting orders against it; a broker venue only notes
    /// the price, since the broker does the matching.
    func process(bar: Bar, instrument: InstrumentID)
    /// Bars `from..<to` of an instrument with no working order on it: what `process` would do with
    /// each, in one call (the kernel's fast path over bars on which nothing happens).
    func processQuietBars(_ columns: BarSeries.Columns, from: Int, to: Int, instrument: InstrumentID)
    /// Close-timed fills of market orders (the simulated venue's `fillTiming = .close`).
    func fillMarketOrdersAtClose(bar: Bar, instrument: InstrumentID)
}

extension ExecutionVenue {
    public var orderCount: Int { orders.count }

    public func processQuietBars(_ columns: BarSeries.Columns, from: Int, to: Int, instrument: InstrumentID) {
        for k in from..<to { process(bar: columns[k], instrument: instrument) }
    }
}

extension SimulatedVenue: ExecutionVenue {}
