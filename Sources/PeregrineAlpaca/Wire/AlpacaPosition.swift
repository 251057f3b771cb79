import Foundation
import PeregrineCore

/// One entry of `GET /v2/positions`: what the broker says we hold, for reconciliation at start-up.
/// Short positions have a negative quantity.
public struct AlpacaPosition: Equatable, Sendable {
    public var symbol: String
    public var quantity: Quantity
    public var averageEntryPrice: Price
    public var marketValue: Money
    public var costBasis: Money
    public var unrealizedPnL: Money
    public var currentPrice: Price

    public static func decodeList(_ data: Data) throws -> [AlpacaPosition] {
        try JSONDecoder().decode([Raw].self, from: data).map { try AlpacaPosition(raw: $0) }
    }

    public static func decode(_ data: Data) throws -> AlpacaPosition {
        try AlpacaPosition(raw: JSONDecoder().decode(Raw.self, from: data))
    }

    struct Raw: Decodable {
        var symbol: String
        var qty: String
        var side: String?
        var avg_entry_price: String
        var market_value: String
        var cost_basis: String
        var unrealized_pl: String
        var current_price: String
    }

    init(raw: Raw) throws(AlpacaWireError) {
        let read = AlpacaFieldReader(document: "position \(raw.symbol)")
        symbol = raw.symbol
        let quantity = try read.quantity(raw.qty, "qty")
        // Alpaca signs short quantities; a "short" side with a positive quantity is normalized, not ignored.
        self.quantity = raw.side == "short" && quantity.units > 0 ? -quantity : quantity
        averageEntryPrice = try read.requiredPrice(raw.avg_entry_price, "avg_entry_price")
        marketValue = try read.money(raw.market_value, "market_value")
        costBasis = try read.money(raw.cost_basis, "cost_basis")
        unrealizedPnL = try read.money(raw.unrealized_pl, "unrealized_pl")
        currentPrice = try read.requiredPrice(raw.current_price, "current_price")
    }
}
