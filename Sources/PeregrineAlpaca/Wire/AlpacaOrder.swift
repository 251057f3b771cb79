import Foundation
import PeregrineCore

/// An order as Alpaca reports it (REST and `trade_updates`), read into exact Peregrine types. Bracket,
/// OCO and OTO orders carry their child legs.
public struct AlpacaOrder: Equatable, Sendable {
    public var id: String
    public var clientOrderID: String
    public var symbol: String
    public var side: OrderSide
    public var type: OrderType
    public var orderClass: OrderClass
    public var timeInForce: TimeInForce
    public var status: OrderStatus
    /// Alpaca's `held` status: a bracket leg waiting for its parent to fill. Peregrine's state
    /// machine calls that `new`; the flag keeps the distinction.
    public var held: Bool
    public var quantity: Quantity
    public var filledQuantity: Quantity
    public var filledAveragePrice: Price?
    public var limitPrice: Price?
    public var stopPrice: Price?
    public var trailPrice: Price?
    public var trailPercent: Rate?
    public var submittedAt: Timestamp?
    public var filledAt: Timestamp?
    public var legs: [AlpacaOrder]

    /// Decodes one order object from JSON bytes.
    public static func decode(_ data: Data) throws -> AlpacaOrder {
        try AlpacaOrder(raw: JSONDecoder().decode(Raw.self, from: data))
    }

    /// Decodes a JSON array of orders (`GET /v2/orders`), but its `mleg` option orders, which have
    /// no symbol or side of their own: `AlpacaMultiLegOrder.decodeList` reads those.
    public static func decodeList(_ data: Data) throws -> [AlpacaOrder] {
        try JSONDecoder().decode([Raw].self, from: data).filter { $0.order_class != "mleg" }.map { try AlpacaOrder(raw: $0) }
    }

    /// Whether an order document is an `mleg` option order (read with `AlpacaMultiLegOrder`).
    public static func isMultiLeg(_ data: Data) -> Bool {
        (try? JSONDecoder().decode(ClassOnly.self, from: data))?.order_class == "mleg"
    }

    private struct ClassOnly: Decodable { var order_class: String? }

    struct Raw: Decodable {
        var id: String
        var client_order_id: String
        var symbol: String
        var side: String
        var type: String?
        var order_type: String?
        var order_class: String?
        var time_in_force: String
        var status: String
        var qty: String?
        var filled_qty: String
        var filled_avg_price: String?
        var limit_price: String?
        var stop_price: String?
        var trail_price: String?
        var trail_percent: String?
        var submitted_at: String?
        var filled_at: String?
        var legs: [Raw]?
    }

    init(raw: Raw) throws(AlpacaWireError) {
        let read = AlpacaFieldReader(document: "order \(raw.id)")
        id = raw.id
        clientOrderID = raw.client_order_id
        symbol = raw.symbol
        side = try read.choice(raw.side, "side", as: OrderSide.self)
        type = try read.choice(raw.type ?? raw.order_type, "type", as: OrderType.self)
        let classText = (raw.order_class?.isEmpty ?? true) ? "simple" : raw.order_class
        orderClass = try read.choice(classText, "order_class", as: OrderClass.self)
        timeInForce = try read.choice(raw.time_in_force, "time_in_force", as: TimeInForce.self)
        held = raw.status == "held"
        status = held ? .new : try read.choice(raw.status, "status", as: OrderStatus.self)
        // A notional order has no qty until it fills; Peregrine never sends those, so it is an error.
        quantity = try read.quantity(raw.qty, "qty")
        filledQuantity = try read.quantity(raw.filled_qty, "filled_qty")
        filledAveragePrice = try read.price(raw.filled_avg_price, "filled_avg_price")
        limitPrice = try read.price(raw.limit_price, "limit_price")
        stopPrice = try read.price(raw.stop_price, "stop_price")
        trailPrice = try read.price(raw.trail_price, "trail_price")
        if let text = raw.trail_percent {
            guard let rate = Rate(percent: text) else { throw read.fail("trail_percent", "'\(text)' is not a percentage") }
            trailPercent = rate
        }
        submittedAt = try read.time(raw.submitted_at, "submitted_at")
        filledAt = try read.time(raw.filled_at, "filled_at")
        var legs: [AlpacaOrder] = []
        for leg in raw.legs ?? [] { legs.append(try AlpacaOrder(raw: leg)) }
        self.legs = legs
    }
}
