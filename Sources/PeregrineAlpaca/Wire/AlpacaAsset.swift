import Foundation
import PeregrineCore

/// `GET /v2/assets/{symbol}`: whether Peregrine may trade a symbol and how (shorting, fractions,
/// minimum size and price increment for crypto).
public struct AlpacaAsset: Equatable, Sendable {
    public var symbol: String
    public var assetClass: AssetClass
    public var exchange: String
    public var status: String
    public var tradable: Bool
    public var shortable: Bool
    public var fractionable: Bool
    public var minOrderSize: Quantity?
    public var priceIncrement: Price?

    public static func decode(_ data: Data) throws -> AlpacaAsset {
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        let read = AlpacaFieldReader(document: "asset \(raw.symbol)")
        var minimum: Quantity?
        if let text = raw.min_order_size { minimum = try read.quantity(text, "min_order_size") }
        return AlpacaAsset(symbol: raw.symbol, assetClass: try read.choice(raw.class, "class", as: AssetClass.self),
                           exchange: raw.exchange, status: raw.status, tradable: raw.tradable, shortable: raw.shortable ?? false,
                           fractionable: raw.fractionable ?? false, minOrderSize: minimum,
                           priceIncrement: try read.price(raw.price_increment, "price_increment"))
    }

    struct Raw: Decodable {
        var symbol: String
        var `class`: String
        var exchange: String
        var status: String
        var tradable: Bool
        var shortable: Bool?
        var fractionable: Bool?
        var min_order_size: String?
        var price_increment: String?
    }
}
