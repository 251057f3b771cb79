import Foundation
import PeregrineCore

/// A `POST /v2/orders` body as a client (Peregrine or alpaca-py) sends it: numbers as strings or
/// JSON numbers. Turned into an `OrderRequest`, or into the message an Alpaca 422 would carry.
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

    func request(instrument: InstrumentID) throws(ExchangeRequestError) -> OrderRequest {
        func price(_ value: FlexibleDecimal?, _ field: String) throws(ExchangeRequestError) -> Price? {
            guard let value else { return nil }
            guard let price = Price(value.text) else { throw ExchangeRequestError(422, "invalid \(field): \(value.text)") }
            return price
        }
        guard notional == nil else { throw ExchangeRequestError(422, "notional orders are not supported by this exchange") }
        guard let qtyText = qty?.text, let quantity = Quantity(qtyText), quantity.units > 0 else {
            throw ExchangeRequestError(422, "qty must be a positive number")
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
