import Foundation
import PeregrineCore

/// A `POST /v2/orders` body as a client (Peregrine or alpaca-py) sends it: numbers as strings or
/// JSON numbers. Turned into an `OrderRequest`, or into the message an Alpaca 422 would carry.
///
/// Crypto follows Alpaca's crypto rules: market, limit and stop-limit orders only, time in force
/// `gtc` or `ioc`, simple orders only. A `notional` market order (an amount of money instead of a
/// quantity) is taken for fractionable assets (crypto): it becomes the quantity the amount buys at
/// the latest close, rounded down to the lot, and the order shows the notional it was sent with.
struct IncomingOrder: Decodable {
    struct TakeProfit: Decodable { var limit_price: FlexibleDecimal }
    struct StopLoss: Decodable {
        var stop_price: FlexibleDecimal
        var limit_price: FlexibleDecimal?
    }

    var symbol: String
    var qty: FlexibleDecimal?
    var notional: FlexibleDecimal?
    var side: String
    var type: String
    var time_in_force: String
    var limit_price: FlexibleDecimal?
    var stop_price: FlexibleDecimal?
    var trail_price: FlexibleDecimal?
    var trail_percent: FlexibleDecimal?
    var order_class: String?
    var take_profit: TakeProfit?
    var stop_loss: StopLoss?
    var client_order_id: String?

    /// The order for `instrument` (traded as `traded`); `lastPrice` sizes a notional order.
    func request(instrument: InstrumentID, traded: Instrument, lastPrice: Price?) throws(ExchangeRequestError) -> OrderRequest {
        func price(_ value: FlexibleDecimal?, _ field: String) throws(ExchangeRequestError) -> Price? {
            guard let value else { return nil }
            guard let price = Price(value.text) else { throw ExchangeRequestError(422, "invalid \(field): \(value.text)") }
            return price
        }
        if traded.assetClass == .crypto { try checkCryptoRules(symbol: traded.symbol) }
        let quantity: Quantity
        if let notional {
            quantity = try notionalQuantity(notional.text, traded: traded, lastPrice: lastPrice)
        } else {
            guard let qtyText = qty?.text, let value = Quantity(qtyText), value.units > 0 else {
                throw ExchangeRequestError(422, "qty must be a positive number")
            }
            quantity = value
        }
        guard let side = OrderSide(rawValue: side) else { throw ExchangeRequestError(422, "invalid side: \(side)") }
        guard let type = OrderType(rawValue: type) else { throw ExchangeRequestError(422, "invalid order type: \(type)") }
        guard let timeInForce = TimeInForce(rawValue: time_in_force) else {
            throw ExchangeRequestError(422, "invalid time_in_force: \(time_in_force)")
        }
        guard let orderClass = OrderClass(rawValue: (order_class?.isEmpty ?? true) ? "simple" : order_class!) else {
            throw ExchangeRequestError(422, "invalid order_class: \(order_class ?? "")")
        }
        var trail: TrailingOffset?
        if let value = try price(trail_price, "trail_price") { trail = .price(value) }
        if let percent = trail_percent {
            guard let rate = Rate(percent: percent.text) else { throw ExchangeRequestError(422, "invalid trail_percent: \(percent.text)") }
            trail = .percent(rate)
        }
        return OrderRequest(instrument: instrument, side: side, quantity: quantity, type: type, timeInForce: timeInForce,
                            limitPrice: try price(limit_price, "limit_price"), stopPrice: try price(stop_price, "stop_price"),
                            trail: trail, orderClass: orderClass, takeProfit: try price(take_profit?.limit_price, "take_profit.limit_price"),
                            stopLoss: try price(stop_loss?.stop_price, "stop_loss.stop_price"),
                            stopLossLimit: try price(stop_loss?.limit_price, "stop_loss.limit_price"), clientOrderID: client_order_id)
    }
}

extension IncomingOrder {
    /// Alpaca's crypto rules: market, limit or stop-limit; gtc or ioc; simple orders only.
    func checkCryptoRules(symbol: String) throws(ExchangeRequestError) {
        guard ["market", "limit", "stop_limit"].contains(type) else {
            throw ExchangeRequestError(422, "crypto orders are market, limit or stop_limit, not \(type) (\(symbol))")
        }
        guard ["gtc", "ioc"].contains(time_in_force) else {
            throw ExchangeRequestError(422, "crypto orders take time_in_force gtc or ioc, not \(time_in_force) (\(symbol))")
        }
        guard (order_class ?? "").isEmpty || order_class == "simple" else {
            throw ExchangeRequestError(422, "crypto orders are simple orders, not \(order_class ?? "") (\(symbol))")
        }
    }

    /// The quantity a notional market order buys or sells at the latest close, rounded down to the lot.
    func notionalQuantity(_ text: String, traded: Instrument, lastPrice: Price?) throws(ExchangeRequestError) -> Quantity {
        guard qty == nil else { throw ExchangeRequestError(422, "give qty or notional, not both") }
        guard type == "market" else { throw ExchangeRequestError(422, "notional orders are market orders, not \(type)") }
        guard traded.lotSize.units < Quantity.scale else {
            throw ExchangeRequestError(422, "notional orders need a fractionable asset; \(traded.symbol) trades in whole lots of \(traded.lotSize)")
        }
        guard let amount = Money(text), amount > .zero, amount <= Money(1_000_000_000_000) else {
            throw ExchangeRequestError(422, "notional must be a positive amount of at most 10^12, not \(text)")
        }
        guard let price = lastPrice, price > .zero else {
            throw ExchangeRequestError(422, "no price yet for \(traded.symbol) to size a notional order on")
        }
        // Money has 18 decimals and a quantity 9, a price 9: units(quantity) = units(amount) / units(price).
        let quantity = Quantity(units: amount.units / Int128(price.units)).rounded(downToLot: traded.lotSize)
        guard quantity.units > 0 else {
            throw ExchangeRequestError(422, "notional \(text) buys less than one lot (\(traded.lotSize)) of \(traded.symbol) at \(price)")
        }
        return quantity
    }
}

/// A decimal that arrives either as a JSON string (`"150.25"`) or a JSON number (`150.25`), kept as
/// its decimal text so it converts exactly.
struct FlexibleDecimal: Decodable {
    let text: String

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = try container.decode(Decimal.self).description
        }
    }
}
