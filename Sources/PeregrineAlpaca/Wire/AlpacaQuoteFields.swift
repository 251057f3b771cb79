import Foundation
import PeregrineCore

/// A quote as Alpaca's market-data API writes it, in REST answers and stream messages alike: `t`
/// time (to the nanosecond), `bp`/`bs` bid price and size, `ap`/`as` ask price and size, `bx`/`ax`
/// the venues (stocks only), `c` conditions, `z` tape. Prices may be zero (a side with no one on
/// it), never negative; sizes are exact and fractional for crypto.
struct AlpacaQuoteFields: Decodable, Sendable {
    var t: String?
    var bp: WireDecimal?
    var bs: WireDecimal?
    var ap: WireDecimal?
    var `as`: WireDecimal?
    var bx: String?
    var ax: String?
    var c: WireConditions?
    var z: String?

    /// The quote; a bad field is named as `prefix` + its key (`quotes.AAPL.bp`).
    func quote(_ read: AlpacaFieldReader, prefix: String = "") throws(AlpacaWireError) -> Quote {
        func price(_ value: WireDecimal?, _ name: String) throws(AlpacaWireError) -> Price {
            let price = try read.requiredPrice(value?.text, prefix + name)
            guard price >= .zero else { throw read.fail(prefix + name, "price \(price) is negative") }
            return price
        }
        func size(_ value: WireDecimal?, _ name: String) throws(AlpacaWireError) -> Quantity {
            let size = try read.quantity(value?.text, prefix + name)
            guard size >= .zero else { throw read.fail(prefix + name, "size \(size) is negative") }
            return size
        }
        return Quote(timestamp: try read.requiredTime(t, prefix + "t"), bidPrice: try price(bp, "bp"), bidSize: try size(bs, "bs"),
                     askPrice: try price(ap, "ap"), askSize: try size(`as`, "as"), bidExchange: bx, askExchange: ax,
                     conditions: c?.codes ?? [], tape: z)
    }
}
