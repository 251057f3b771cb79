import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// A `POST /v2/orders` body for options as a client sends it: a single contract by its OCC symbol,
/// or `order_class` `mleg` with 2 to 4 legs (each a contract, `ratio_qty`, and `side` or
/// `position_intent`). Quantities are whole contracts; market or limit; time in force day only, as
/// Alpaca takes them. Anything else is refused with the field it is about.
struct IncomingOptionOrder: Decodable {
    struct Leg: Decodable {
        var symbol: String
        var ratio_qty: FlexibleDecimal?
        var side: String?
        var position_intent: String?
    }

    var symbol: String?
    var qty: FlexibleDecimal?
    var side: String?
    var type: String
    var time_in_force: String
    var limit_price: FlexibleDecimal?
    var order_class: String?
    var position_intent: String?
    var client_order_id: String?
    var legs: [Leg]?

    var isMultiLeg: Bool { order_class == "mleg" }

    /// Whole numbers from 1 to `maximum`, as contract counts and ratios must be.
    static func whole(_ value: FlexibleDecimal?, _ field: String, maximum: Int) throws(ExchangeRequestError) -> Int {
        guard let text = value?.text, let decimal = Decimal(string: text), decimal >= 1, decimal <= Decimal(maximum),
              decimal == Decimal(NSDecimalNumber(decimal: decimal).intValue) else {
            throw ExchangeRequestError(422, "\(field) must be a whole number of contracts from 1 to \(maximum), not \(value?.text ?? "nothing")")
        }
        return NSDecimalNumber(decimal: decimal).intValue
    }

    /// The side a leg trades: its `side`, or the side its position intent implies; both must agree.
    static func side(_ side: String?, intent: String?, field: String) throws(ExchangeRequestError) -> OrderSide {
        let implied: OrderSide?
        switch intent {
        case nil: implied = nil
        case "buy_to_open", "buy_to_close": implied = .buy
        case "sell_to_open", "sell_to_close": implied = .sell
        case let other?: throw ExchangeRequestError(422, "\(field).position_intent '\(other)' is not buy_to_open, buy_to_close, sell_to_open or sell_to_close")
        }
        let stated: OrderSide?
        if let side {
            guard let value = OrderSide(rawValue: side) else { throw ExchangeRequestError(422, "\(field).side '\(side)' is not buy or sell") }
            stated = value
        } else {
            stated = nil
        }
        if let stated, let implied, stated != implied {
            throw ExchangeRequestError(422, "\(field): side \(stated) disagrees with position_intent \(intent ?? "")")
        }
        guard let result = stated ?? implied else { throw ExchangeRequestError(422, "\(field): give side or position_intent") }
        return result
    }

    /// The order, numbered `number`, submitted at `time`.
    func order(number: Int, at time: Timestamp) throws(ExchangeRequestError) -> OptionOrder {
        guard let orderType = OrderType(rawValue: type), orderType == .market || orderType == .limit else {
            throw ExchangeRequestError(422, "option orders are market or limit, not \(type)")
        }
        // Alpaca takes only day for options, and answers anything else with these messages.
        guard time_in_force == TimeInForce.day.rawValue else {
            throw .options(422, isMultiLeg ? "invalid time in force" : "order_time_in_force provided not supported for options trading")
        }
        let tif = TimeInForce.day
        var limit: Price?
        if orderType == .limit {
            guard let text = limit_price?.text, let price = Price(text), price.units % (Price.scale / 100) == 0,
                  abs(price.doubleValue) < 1_000_000 else {
                throw ExchangeRequestError(422, "limit_price must be a price in cents below 1000000, not \(limit_price?.text ?? "nothing")")
            }
            guard isMultiLeg || price > .zero else { throw ExchangeRequestError(422, "limit_price \(text) must be positive for a single contract") }
            limit = price
        } else if limit_price != nil {
            throw ExchangeRequestError(422, "a market order takes no limit_price")
        }
        let quantity = try Self.whole(qty, "qty", maximum: 10_000)
        var parsed: [OptionOrder.Leg] = []
        if isMultiLeg {
            guard symbol?.isEmpty ?? true else { throw ExchangeRequestError(422, "an mleg order names its contracts in legs, not symbol") }
            let legs = self.legs ?? []
            guard (2...4).contains(legs.count) else { throw ExchangeRequestError(422, "an mleg order takes 2 to 4 legs, not \(legs.count)") }
            for (k, leg) in legs.enumerated() {
                let field = "legs[\(k)]"
                let contract: OCCSymbol
                do { contract = try OCCSymbol(leg.symbol) } catch { throw ExchangeRequestError(422, "\(field).symbol: \(error.description)") }
                parsed.append(OptionOrder.Leg(contract: contract, ratio: try Self.whole(leg.ratio_qty, "\(field).ratio_qty", maximum: 100),
                                              side: try Self.side(leg.side, intent: leg.position_intent, field: field),
                                              intent: leg.position_intent))
            }
            guard Set(parsed.map(\.contract)).count == parsed.count else { throw ExchangeRequestError(422, "every leg of an mleg order must be a different contract") }
            guard Set(parsed.map(\.contract.root)).count == 1 else { throw ExchangeRequestError(422, "the legs of an mleg order must share one underlying") }
        } else {
            guard order_class == nil || order_class == "" || order_class == "simple" else {
                throw ExchangeRequestError(422, "option orders are simple or mleg, not \(order_class ?? "")")
            }
            guard let text = symbol else { throw ExchangeRequestError(422, "symbol: give the contract's OCC symbol") }
            let contract: OCCSymbol
            do { contract = try OCCSymbol(text) } catch { throw ExchangeRequestError(422, "symbol: \(error.description)") }
            parsed = [OptionOrder.Leg(contract: contract, ratio: 1, side: try Self.side(side, intent: position_intent, field: "order"),
                                      intent: position_intent)]
        }
        return OptionOrder(number: number, clientOrderID: client_order_id ?? "option-\(number)", quantity: quantity, type: orderType,
                           timeInForce: tif, limitPrice: limit, isMultiLeg: isMultiLeg, legs: parsed, submittedAt: time)
    }
}
