import PeregrineCore

/// What a person may do to a running bot through the control plane, at the bot's next turn. Not part
/// of the strategy's interface (package access): the trading runtime reaches it, strategies do not.
extension StrategyContext {
    /// While set, orders that open or add to a position are refused as `paused`; exits, resting
    /// protection and the kill switch still run.
    package var entriesPaused: Bool {
        get { state.entriesPaused }
        set { state.entriesPaused = newValue }
    }

    /// Cancels the instrument's working orders and closes its position at market, past the checks,
    /// logged as `operator_flatten` with `detail` (who asked); with nothing held, logged as held.
    package func flattenByOperator(_ instrument: InstrumentID, detail: String) {
        if state.account.position(instrument).quantity.isZero {
            let working = router.venue.openOrders(instrument).count
            exits.close(instrument, reason: .operatorFlatten, detail: detail)
            log.record(Decision(timestamp: state.now, instrument: instrument, action: nil, outcome: .held, reason: .operatorFlatten,
                                detail: detail + "; nothing held" + (working > 0 ? ", \(working) working order(s) canceled" : "")))
        } else {
            exits.close(instrument, reason: .operatorFlatten, detail: detail)
        }
    }

    /// Sends an order a person placed by hand (a confirmed pending action), through the same pause,
    /// pre-trade and risk checks as the strategy's own orders, logged as `operator_order` with `detail`.
    @discardableResult
    package func submitByOperator(_ request: OrderRequest, detail: String) -> Result<OrderID, Rejection> {
        router.send(request, action: nil, reason: .operatorOrder, note: detail)
    }
}
