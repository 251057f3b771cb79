import PeregrineCore

/// The price at which a resting order trades against one bar, or none. Bars only tell the open,
/// the range and the close, so the rules take the honest reading:
/// - a market order takes the open;
/// - a limit fills at the open when the open is already better, else at its limit if the range reaches it;
/// - a stop (and a trailing stop) that the open gaps through fills at the open, not at the stop;
/// - a stop-limit touched inside the bar fills in that bar only if its limit is marketable at the
///   stop price; otherwise it rests as a limit from the next bar;
/// - a trailing stop checks the stop from earlier bars, then ratchets with this bar's extreme.
enum FillRules {
    struct Quote: Equatable {
        var price: Price
        /// Traded at the bar's open (so it came before anything else in the bar).
        var atOpen: Bool
        /// A market-like fill that the slippage model applies to.
        var slippable: Bool
    }

    /// What of an order its fill price depends on: read field by field from the venue's book, so
    /// matching does not copy the whole order (its strings and reference counts) on every bar.
    struct Terms {
        var type: OrderType
        var timeInForce: TimeInForce
        var side: OrderSide
        var limitPrice: Price?
        var stopPrice: Price?
        var trail: TrailingOffset?
    }

    static func quote(for order: Terms, state: inout OrderState, bar: Bar) -> Quote? {
        switch order.timeInForce {
        case .opg:
            return order.type == .market
                ? Quote(price: bar.open, atOpen: true, slippable: true)
                : limit(order.side, order.limitPrice!, at: bar.open, atOpen: true)
        case .cls:
            return order.type == .market
                ? Quote(price: bar.close, atOpen: false, slippable: true)
                : limit(order.side, order.limitPrice!, at: bar.close, atOpen: false)
        default:
            break
        }
        switch order.type {
        case .market:
            return Quote(price: bar.open, atOpen: true, slippable: true)
        case .limit:
            return limit(order.side, order.limitPrice!, bar: bar)
        case .stop:
            return stop(order.side, order.stopPrice!, bar: bar)
        case .stopLimit:
            let limitPrice = order.limitPrice!
            if state.triggered { return limit(order.side, limitPrice, bar: bar) }
            let stopPrice = order.stopPrice!
            let buy = order.side == .buy
            if buy ? bar.open >= stopPrice : bar.open <= stopPrice {
                state.triggered = true
                return limit(order.side, limitPrice, bar: bar)
            }
            if buy ? bar.high >= stopPrice : bar.low <= stopPrice {
                state.triggered = true
                let marketable = buy ? stopPrice <= limitPrice : stopPrice >= limitPrice
                return marketable ? Quote(price: stopPrice, atOpen: false, slippable: false) : nil
            }
            return nil
        case .trailingStop:
            if state.watermark.units == 0 { state.watermark = bar.open }
            let stopPrice = order.trail!.stop(from: state.watermark, side: order.side)
            if let quote = stop(order.side, stopPrice, bar: bar) { return quote }
            state.watermark = order.side == .sell ? max(state.watermark, bar.high) : min(state.watermark, bar.low)
            return nil
        }
    }

    static func limit(_ side: OrderSide, _ limitPrice: Price, bar: Bar) -> Quote? {
        if side == .buy {
            if bar.open <= limitPrice { return Quote(price: bar.open, atOpen: true, slippable: false) }
            if bar.low <= limitPrice { return Quote(price: limitPrice, atOpen: false, slippable: false) }
        } else {
            if bar.open >= limitPrice { return Quote(price: bar.open, atOpen: true, slippable: false) }
            if bar.high >= limitPrice { return Quote(price: limitPrice, atOpen: false, slippable: false) }
        }
        return nil
    }

    /// A limit order offered one price only (an auction): fills there if marketable.
    static func limit(_ side: OrderSide, _ limitPrice: Price, at price: Price, atOpen: Bool) -> Quote? {
        let marketable = side == .buy ? price <= limitPrice : price >= limitPrice
        return marketable ? Quote(price: price, atOpen: atOpen, slippable: false) : nil
    }

    static func stop(_ side: OrderSide, _ stopPrice: Price, bar: Bar) -> Quote? {
        if side == .buy {
            if bar.open >= stopPrice { return Quote(price: bar.open, atOpen: true, slippable: true) }
            if bar.high >= stopPrice { return Quote(price: stopPrice, atOpen: false, slippable: true) }
        } else {
            if bar.open <= stopPrice { return Quote(price: bar.open, atOpen: true, slippable: true) }
            if bar.low <= stopPrice { return Quote(price: stopPrice, atOpen: false, slippable: true) }
        }
        return nil
    }
}
