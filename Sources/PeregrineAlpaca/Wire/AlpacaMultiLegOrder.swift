import Foundation
import PeregrineCore
import PeregrineModels

/// An `mleg` option order as Alpaca reports it: no symbol, side or asset at the top level, the
/// order's quantity and net price (positive a debit, negative a credit), and its legs, each a
/// contract with its side, ratio and position intent.
public struct AlpacaMultiLegOrder: Equatable, Sendable {
    public struct Leg: Equatable, Sendable {
        public var contract: OCCSymbol
        public var side: OrderSide
        public var ratio: Quantity
        public var positionIntent: String?
        public var quantity: Quantity
        public var filledQuantity: Quantity
        public var filledAveragePrice: Price?
    }

    public var id: String
    public var clientOrderID: String
    public var status: OrderStatus
    public var type: OrderType
    public var quantity: Quantity
    public var filledQuantity: Quantity
    /// The net price per unit of the order the legs filled at.
    public var filledAveragePrice: Price?
    public var limitPrice: Price?
    public var submittedAt: Timestamp?
    public var filledAt: Timestamp?
    public var legs: [Leg]

    public static func decode(_ data: Data) throws -> AlpacaMultiLegOrder {
        try AlpacaMultiLegOrder(raw: JSONDecoder().decode(Raw.self, from: data))
    }

    /// The mleg orders of a JSON array of orders (`GET /v2/orders`); the account's other orders
    /// are `AlpacaOrder.decodeList`'s.
    public static func decodeList(_ data: Data) throws -> [AlpacaMultiLegOrder] {
        try JSONDecoder().decode([Raw].self, from: data).filter { $0.order_class == "mleg" }.map { try AlpacaMultiLegOrder(raw: $0) }
    }

    struct Raw: Decodable {
        struct RawLeg: Decodable {
            var symbol: String
            var side: String
            var ratio_qty: String?
            var position_intent: String?
            var qty: String?
            var filled_qty: String
            var filled_avg_price: String?
        }

        var id: String
        var client_order_id: String
        var order_class: String?
        var type: String?
        var order_type: String?
        var status: String
        var qty: String?
        var filled_qty: String
        var filled_avg_price: String?
        var limit_price: String?
        var submitted_at: String?
        var filled_at: String?
        var legs: [RawLeg]?
    }

    init(raw: Raw) throws(AlpacaWireError) {
        let read = AlpacaFieldReader(document: "mleg order \(raw.id)")
        guard raw.order_class == "mleg" else { throw read.fail("order_class", "'\(raw.order_class ?? "")' is not mleg") }
        id = raw.id
        clientOrderID = raw.client_order_id
        status = try read.choice(raw.status, "status", as: OrderStatus.self)
        type = try read.choice(raw.type ?? raw.order_type, "type", as: OrderType.self)
        quantity = try read.quantity(raw.qty, "qty")
        filledQuantity = try read.quantity(raw.filled_qty, "filled_qty")
        filledAveragePrice = try read.price(raw.filled_avg_price, "filled_avg_price")
        limitPrice = try read.price(raw.limit_price, "limit_price")
        submittedAt = try read.time(raw.submitted_at, "submitted_at")
        filledAt = try read.time(raw.filled_at, "filled_at")
        var legs: [Leg] = []
        for (k, leg) in (raw.legs ?? []).enumerated() {
            let contract: OCCSymbol
            do { contract = try OCCSymbol(leg.symbol) } catch { throw read.fail("legs[\(k)].symbol", error.description) }
            legs.append(Leg(contract: contract, side: try read.choice(leg.side, "legs[\(k)].side", as: OrderSide.self),
                            ratio: try read.quantity(leg.ratio_qty ?? "1", "legs[\(k)].ratio_qty"), positionIntent: leg.position_intent,
                            quantity: try read.quantity(leg.qty, "legs[\(k)].qty"), filledQuantity: try read.quantity(leg.filled_qty, "legs[\(k)].filled_qty"),
                            filledAveragePrice: try read.price(leg.filled_avg_price, "legs[\(k)].filled_avg_price")))
        }
        guard (2...4).contains(legs.count) else { throw read.fail("legs", "\(legs.count) legs: an mleg order has 2 to 4") }
        self.legs = legs
    }
}
