import PeregrineCore

/// Builds round trips from fills as they are booked.
public struct TradeTracker: Sendable {
    public private(set) var closed: [RoundTrip] = []
    /// Each instrument's latest trip, open while its `isOpen` says so (a closed placeholder before the
    /// first): kept as plain values, so a fill changes its trip in place, where an optional is
    /// copied out and back.
    private var open: [RoundTrip]

    public init(instrumentCount: Int) {
        var placeholder = RoundTrip(instrument: InstrumentID(0), direction: .long, entryTime: Timestamp(nanoseconds: 0), entryBar: 0)
        placeholder.exitTime = Timestamp(nanoseconds: 0)
        open = Array(repeating: placeholder, count: instrumentCount)
    }

    /// Room for `count` closed round trips, so the list does not grow during a run.
    mutating func reserve(_ count: Int) { closed.reserveCapacity(count) }

    /// Round trips still open.
    public var openTrips: [RoundTrip] { open.filter(\.isOpen) }

    /// Records a fill after the account booked it.
    /// - Parameters:
    ///   - realized: P&L the fill realized; positionAfter: the signed position after it; bar: the
    ///     instrument's bar index, for holding periods.
    public mutating func record(_ fill: Fill, realized: Money, positionAfter: Quantity, bar: Int) {
        let i = fill.instrument.index
        guard open[i].isOpen else {
            open[i] = newTrip(fill, quantity: fill.quantity, commission: fill.commission, bar: bar)
            return
        }
        guard let remainder = Self.book(fill, realized: realized, positionAfter: positionAfter, bar: bar, on: &open[i]) else { return }
        closed.append(open[i])
        if remainder.units > 0 { open[i] = newTrip(fill, quantity: remainder, commission: .zero, bar: bar) }
    }

    /// Books a fill on its instrument's open trip: it adds to the trip, reduces it, or ends it
    /// (flat or flipped), in which case the return is the fill's quantity left over for a new trip.
    private static func book(_ fill: Fill, realized: Money, positionAfter: Quantity, bar: Int, on trip: inout RoundTrip) -> Quantity? {
        if (trip.direction == .long) == (fill.side == .buy) {
            trip.entryQuantity += fill.quantity
            trip.entryNotional += fill.notional
            trip.commission += fill.commission
            return nil
        }
        let positionBefore = positionAfter - fill.signedQuantity
        let closing = min(fill.quantity, positionBefore.magnitude)
        trip.exitQuantity += closing
        trip.exitNotional += fill.price * closing
        trip.realizedPnL += realized
        trip.commission += fill.commission
        guard positionAfter.isZero || (positionAfter.units > 0) != (positionBefore.units > 0) else { return nil }
        trip.exitTime = fill.timestamp
        trip.exitBar = bar
        return fill.quantity - closing
    }

    /// A split: the open trip's share counts scale by the ratio at unchanged notional, so its exits
    /// (in post-split shares) close it.
    public mutating func split(instrument i: Int, numerator: Int64, denominator: Int64) {
        guard open[i].isOpen else { return }
        open[i].entryQuantity = Quantity(units: open[i].entryQuantity.units * Int128(numerator) / Int128(denominator))
        open[i].exitQuantity = Quantity(units: open[i].exitQuantity.units * Int128(numerator) / Int128(denominator))
    }

    /// Income of the open trip that is not a fill: a dividend received (or paid when short), or the
    /// gain of cash in lieu after a split.
    public mutating func addIncome(instrument i: Int, _ amount: Money) {
        guard open[i].isOpen else { return }
        open[i].realizedPnL += amount
    }

    private func newTrip(_ fill: Fill, quantity: Quantity, commission: Money, bar: Int) -> RoundTrip {
        var trip = RoundTrip(instrument: fill.instrument, direction: fill.side == .buy ? .long : .short,
                             entryTime: fill.timestamp, entryBar: bar)
        trip.entryQuantity = quantity
        trip.entryNotional = fill.price * quantity
        trip.commission = commission
        return trip
    }

    /// Instrument `i`'s `count` oldest bars were dropped (a live window): the open trip's entry bar
    /// counts from the bars kept, so its holding period stays right.
    public mutating func shiftBars(instrument i: Int, by count: Int) {
        guard open[i].isOpen else { return }
        open[i].entryBar -= count
    }

    /// Forgets all but the `keep` latest closed trips (a live bot's are in its store as fills).
    public mutating func forgetClosed(keepingLast keep: Int) {
        if closed.count > keep { closed.removeFirst(closed.count - keep) }
    }
}
