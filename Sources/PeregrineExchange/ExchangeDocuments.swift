import Foundation
import PeregrineCore

/// The JSON documents the local exchange answers with, shaped like Alpaca's so that Peregrine's own
/// client and the official SDK read them unchanged. Money, prices and quantities are decimal strings.
enum ExchangeDocuments {
    static func uuid(_ kind: Int, _ number: Int) -> String {
        let digits = String(number)
        return "0000000\(kind)-0000-4000-8000-" + String(repeating: "0", count: max(12 - digits.count, 0)) + digits
    }

    static func orderID(_ id: OrderID) -> String { uuid(1, id.value) }
    static func assetID(_ instrument: InstrumentID) -> String { uuid(2, instrument.index) }

    static func order(_ order: Order, symbol: String, assetClass: String, legs: [[String: Any]]?, notional: String? = nil) -> [String: Any] {
        let time = order.submittedAt.iso8601
        let filled = order.status == .filled ? order.updatedAt.iso8601 : nil
        let canceled = order.status == .canceled ? order.updatedAt.iso8601 : nil
        let expired = order.status == .expired ? order.updatedAt.iso8601 : nil
        let failed = order.status == .rejected ? order.updatedAt.iso8601 : nil
        var trailPrice: String?
        var trailPercent: String?
        switch order.trail {
        case .price(let amount)?: trailPrice = amount.description
        case .percent(let rate)?: trailPercent = rate.percentText
        case nil: break
        }
        let fields: [String: Any?] = [
            "id": orderID(order.id), "client_order_id": order.clientOrderID,
            "created_at": time, "updated_at": order.updatedAt.iso8601, "submitted_at": time,
            "filled_at": filled, "expired_at": expired, "canceled_at": canceled, "failed_at": failed,
            "replaced_at": nil, "replaced_by": nil, "replaces": nil,
            "asset_id": assetID(order.instrument), "symbol": symbol, "asset_class": assetClass,
            "notional": notional, "qty": order.quantity.description, "filled_qty": order.filledQuantity.description,
            "filled_avg_price": order.averageFillPrice?.description,
            "order_class": order.orderClass.rawValue, "order_type": order.type.rawValue, "type": order.type.rawValue,
            "side": order.side.rawValue, "time_in_force": order.timeInForce.rawValue,
            "limit_price": order.limitPrice?.description, "stop_price": order.stopPrice?.description,
            "status": order.status.rawValue, "extended_hours": false, "legs": legs,
            "trail_percent": trailPercent, "trail_price": trailPrice, "hwm": nil,
            "position_intent": nil, "reason": order.reason,
        ]
        return fields.mapValues { $0 ?? NSNull() }
    }

    static func account(number: String, cash: Money, positionsValue: Money, longValue: Money, shortValue: Money,
                        lastEquity: Money, created: Timestamp) -> [String: Any] {
        let equity = cash + positionsValue
        return [
            "id": uuid(3, 1), "account_number": number, "status": "ACTIVE", "crypto_status": "ACTIVE", "currency": "USD",
            "buying_power": cash.description, "regt_buying_power": cash.description, "daytrading_buying_power": "0",
            "non_marginable_buying_power": cash.description, "cash": cash.description,
            "portfolio_value": equity.description, "equity": equity.description, "last_equity": lastEquity.description,
            "long_market_value": longValue.description, "short_market_value": shortValue.description,
            "initial_margin": "0", "maintenance_margin": "0", "last_maintenance_margin": "0", "sma": "0",
            "daytrade_count": 0, "pattern_day_trader": false, "trading_blocked": false, "transfers_blocked": false,
            "account_blocked": false, "created_at": created.iso8601, "trade_suspended_by_user": false, "multiplier": "1",
            "shorting_enabled": true, "accrued_fees": "0", "pending_transfer_in": "0",
        ]
    }

    static func position(symbol: String, instrument: InstrumentID, assetClass: String, position: Position, mark: Price,
                         previousClose: Price) -> [String: Any] {
        let value = mark * position.quantity
        let unrealized = position.unrealizedPnL(at: mark)
        let basis = position.costBasis
        let percent = basis == .zero ? 0 : unrealized.doubleValue / abs(basis.doubleValue)
        return [
            "asset_id": assetID(instrument), "symbol": symbol, "exchange": "", "asset_class": assetClass,
            "asset_marginable": true, "avg_entry_price": (position.averagePrice ?? mark).description,
            "qty": position.quantity.description, "qty_available": position.quantity.description,
            "side": position.isShort ? "short" : "long", "market_value": value.description, "cost_basis": basis.description,
            "unrealized_pl": unrealized.description, "unrealized_plpc": String(percent),
            "unrealized_intraday_pl": (value - previousClose * position.quantity).description, "unrealized_intraday_plpc": "0",
            "current_price": mark.description, "lastday_price": previousClose.description, "change_today": "0",
        ]
    }

    static func asset(_ instrument: Instrument, id: InstrumentID) -> [String: Any] {
        let fractional = instrument.lotSize.units < Quantity.scale
        // Crypto is bought with cash and never sold short, as at Alpaca.
        let crypto = instrument.assetClass == .crypto
        return ["id": assetID(id), "class": instrument.assetClass.rawValue, "exchange": crypto ? "CRYPTO" : "", "symbol": instrument.symbol,
                "name": instrument.symbol, "status": "active", "tradable": true, "marginable": !crypto, "shortable": !crypto,
                "easy_to_borrow": !crypto, "fractionable": fractional, "min_order_size": instrument.lotSize.description,
                "min_trade_increment": instrument.lotSize.description, "price_increment": instrument.tickSize.description,
                "attributes": [String]()]
    }

    static func bar(_ bar: Bar) -> [String: Any] {
        ["t": bar.timestamp.iso8601, "o": number(bar.open.description), "h": number(bar.high.description),
         "l": number(bar.low.description), "c": number(bar.close.description), "v": number(bar.volume.description),
         "n": 0, "vw": number(bar.close.description)]
    }

    /// A quote as Alpaca's market-data API writes it (`bp`, `bs`, `ap`, `as`, `t`, `c`; venues and
    /// tape when known), numbers from their exact decimal text.
    static func quote(_ quote: Quote) -> [String: Any] {
        var fields: [String: Any] = ["t": quote.timestamp.iso8601, "bp": number(quote.bidPrice.description),
                                     "bs": number(quote.bidSize.description), "ap": number(quote.askPrice.description),
                                     "as": number(quote.askSize.description), "c": quote.conditions]
        if let venue = quote.bidExchange { fields["bx"] = venue }
        if let venue = quote.askExchange { fields["ax"] = venue }
        if let tape = quote.tape { fields["z"] = tape }
        return fields
    }

    /// A trade as Alpaca's market-data API writes it (`p`, `s`, `t`, `i`, `c`; venue, tape and
    /// taker side when known).
    static func trade(_ trade: Trade) -> [String: Any] {
        var fields: [String: Any] = ["t": trade.timestamp.iso8601, "p": number(trade.price.description),
                                     "s": number(trade.size.description), "c": trade.conditions]
        if let id = trade.id { fields["i"] = NSNumber(value: id) }
        if let venue = trade.exchange { fields["x"] = venue }
        if let tape = trade.tape { fields["z"] = tape }
        if let side = trade.takerSide { fields["tks"] = side == .buy ? "B" : "S" }
        return fields
    }

    /// A JSON number written from exact decimal text (no binary round trip).
    static func number(_ text: String) -> NSDecimalNumber { NSDecimalNumber(string: text) }

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
