import PeregrineCore
import PeregrineRisk

/// The orders the kernel itself places on a position, outside the strategy's signals: the exit
/// plan's resting protection (`[exits] resting`), exit-rule exits at market, and the kill switch's
/// flatten. It keeps which working orders are protection, because those are not exits the
/// strategy has pending: the strategy may still close the position they protect.
final class PositionExits {
    let state: TradingState
    let venue: any ExecutionVenue
    let router: OrderRouter
    let log: DecisionLog
    /// Resting protective orders per instrument.
    @exclusivity(unchecked) private var protective: [Int: [OrderID]] = [:]

    init(state: TradingState, router: OrderRouter, log: DecisionLog) {
        self.state = state
        self.venue = router.venue
        self.router = router
        self.log = log
    }

    /// Pending quantity on one side, less the resting protection's share of it.
    func pendingBesidesProtection(_ instrument: InstrumentID, side: OrderSide) -> Quantity {
        guard venue.hasOpenOrders(instrument) else { return .zero }
        var pending = venue.pendingQuantity(instrument, side: side)
        if !protective.isEmpty, let ids = protective[instrument.index] {
            for id in ids {
                guard let order = venue.order(id), order.side == side, order.status.isWorking, order.status != .pendingCancel,
                      venue.countsAsPending(order, side: side) else { continue }
                pending -= order.remainingQuantity
            }
        }
        return pending
    }

    /// Rests a stop-loss and take-profit as orders for `quantity` of the position (nil: what the
    /// pieces rested so far leave of it): an OCO pair when both are set, else a single stop or limit.
    /// Prices are rounded to the tick away from the position's favour for the stop and toward it for
    /// the target.
    func protect(_ instrument: InstrumentID, quantity piece: Double?, stop: Double?, target: Double?) {
        let position = state.account.position(instrument).quantity
        guard !position.isZero else { return }
        var covered = Quantity.zero
        for id in protective[instrument.index] ?? [] {
            if let order = venue.order(id), order.status.isWorking, order.legRole != .stopLoss { covered += order.remainingQuantity }
        }
        let rest = position.magnitude - covered
        let lot = state.instruments[instrument.index].lotSize
        let quantity = piece.map { min(Quantity(approximating: $0).rounded(downToLot: lot), rest) } ?? rest
        guard quantity.units > 0 else { return }
        let long = position.units > 0
        let side: OrderSide = long ? .sell : .buy
        let tick = state.instruments[instrument.index].tickSize
        let stopPrice = stop.map { Price(approximating: $0).rounded(toTick: tick, up: !long) }
        let limit = target.map { Price(approximating: $0).rounded(toTick: tick, up: long) }
        let request: OrderRequest
        switch (stopPrice, limit) {
        case (let stop?, let limit?):
            request = OrderRequest(instrument: instrument, side: side, quantity: quantity, type: .limit, timeInForce: .gtc,
                                   limitPrice: limit, orderClass: .oco, takeProfit: limit, stopLoss: stop)
        case (let stop?, nil):
            request = OrderRequest(instrument: instrument, side: side, quantity: quantity, type: .stop, timeInForce: .gtc, stopPrice: stop)
        case (nil, let limit?):
            request = OrderRequest(instrument: instrument, side: side, quantity: quantity, type: .limit, timeInForce: .gtc, limitPrice: limit)
        case (nil, nil):
            return
        }
        let known = venue.orderCount
        let note = "\(quantity) with stop \(stopPrice?.description ?? "none"), target \(limit?.description ?? "none")"
        if case .success = router.send(request, action: nil, reason: .restingExit, note: note,
                                       pendingSell: pendingBesidesProtection(instrument, side: .sell)) {
            protective[instrument.index, default: []] += (known..<venue.orderCount).map(OrderID.init)
        }
    }

    /// Cancels the instrument's resting protective orders still working.
    func cancelProtection(_ instrument: InstrumentID) {
        guard !protective.isEmpty, let ids = protective.removeValue(forKey: instrument.index) else { return }
        for id in ids where venue.order(id)?.status.isWorking == true { _ = venue.cancel(id, at: state.now) }
    }

    /// Closes `quantity` of a position at market for an exit rule (all of it cancels the
    /// instrument's working orders first), logged as a decision with the rule's reason.
    /// Resting protective orders are canceled first; the kernel rests new ones for what remains.
    func exit(_ instrument: InstrumentID, quantity: Double, reason: ExitReason, detail: String) {
        cancelProtection(instrument)
        let position = state.account.position(instrument).quantity
        guard !position.isZero, venue.pendingQuantity(instrument, side: position.units > 0 ? .sell : .buy).isZero else { return }
        var size = Quantity(approximating: quantity).rounded(downToLot: state.instruments[instrument.index].lotSize)
        if size >= position.magnitude {
            size = position.magnitude
            for order in venue.openOrders(instrument) { _ = venue.cancel(order.id, at: state.now) }
        }
        guard size.units > 0 else { return }
        let request = OrderRequest.market(instrument, position.units > 0 ? .sell : .buy, size, timeInForce: .gtc)
        _ = router.send(request, action: nil, reason: .exit(reason), note: detail)
    }

    /// Cancels every working order and closes every position at market, past all checks: the
    /// kill switch's flatten. Each order is logged as a decision with `reason` as its detail.
    func liquidateAll(reason: String) {
        for index in state.instruments.indices { close(InstrumentID(index), reason: .killSwitchFlatten, detail: reason) }
    }

    /// Cancels the instrument's working orders and closes its position at market, past all checks (a
    /// flatten must not be refused by the limits it is meant to relieve), logged with `reason`.
    func close(_ id: InstrumentID, reason: DecisionReason, detail: String) {
        for order in venue.openOrders(id) { _ = venue.cancel(order.id, at: state.now) }
        let quantity = state.account.position(id).quantity
        guard !quantity.isZero else { return }
        let request = OrderRequest.market(id, quantity.units > 0 ? .sell : .buy, quantity.magnitude, timeInForce: .gtc)
        let orderID = try? venue.submit(request, at: state.now).get()
        log.record(Decision(timestamp: state.now, instrument: id, action: nil,
                            outcome: orderID == nil ? .rejected : .submitted, reason: reason, detail: detail,
                            side: request.side, quantity: request.quantity, orderID: orderID))
    }
}
