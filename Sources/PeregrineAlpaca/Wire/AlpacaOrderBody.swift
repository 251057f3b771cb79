import Foundation
import PeregrineCore

/// The JSON body of `POST /v2/orders` for one `OrderRequest`. Numbers go out as decimal strings, as
/// Alpaca documents them, so a price is sent exactly as the strategy computed it; fields that do not
/// apply are left out rather than sent as null.
public struct AlpacaOrderBody: Encodable, Equatable, Sendable {
    public struct TakeProfit: Encodable, Equatable, Sendable {
        public var limitPrice: String
        enum CodingKeys: String, CodingKey { case limitPrice = "limit_price" }
    }

    public struct StopLoss: Encodable, Equatable, Sendable {
        public var stopPrice: String
        public var limitPrice: String?
        enum CodingKeys: String, CodingKey {
            case stopPrice = "stop_price"
            case limitPrice = "limit_price"
        }
    }

    public var symbol: String
    public var qty: String
    public var side: String
    public var type: String
    public var timeInForce: String
    public var limitPrice: String?
    public var stopPrice: String?
    public var trailPrice: String?
    public var trailPercent: String?
    public var orderClass: String?
    public var takeProfit: TakeProfit?
    public var stopLoss: StopLoss?
    public var clientOrderID: String?
    public var extendedHours: Bool?

    enum CodingKeys: String, CodingKey {
        case symbol, qty, side, type
        case timeInForce = "time_in_force"
        case limitPrice = "limit_price"
        case stopPrice = "stop_price"
        case trailPrice = "trail_price"
        case trailPercent = "trail_percent"
        case orderClass = "order_class"
        case takeProfit = "take_profit"
        case stopLoss = "stop_loss"
        case clientOrderID = "client_order_id"
        case extendedHours = "extended_hours"
    }

    public init(_ request: OrderRequest, symbol: String, extendedHours: Bool? = nil) {
        self.symbol = symbol
        self.qty = request.quantity.description
        self.side = request.side.rawValue
        self.type = request.type.rawValue
        self.timeInForce = request.timeInForce.rawValue
        self.limitPrice = request.limitPrice?.description
        self.stopPrice = request.stopPrice?.description
        switch request.trail {
        case .price(let amount)?: trailPrice = amount.description
        case .percent(let rate)?: trailPercent = rate.percentText
        case nil: break
        }
        // A simple order needs no class; the SDK leaves it out and so do we.
        self.orderClass = request.orderClass == .simple ? nil : request.orderClass.rawValue
        self.takeProfit = request.takeProfit.map { TakeProfit(limitPrice: $0.description) }
        self.stopLoss = request.stopLoss.map { StopLoss(stopPrice: $0.description, limitPrice: request.stopLossLimit?.description) }
        self.clientOrderID = request.clientOrderID
        self.extendedHours = extendedHours
    }

    /// Canonical bytes (sorted keys): the same request always produces the same body.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, optionals and nested structs of them cannot fail.
        return try! encoder.encode(self)
    }
}
