import Foundation
import PeregrineCore

/// A trade as Alpaca's market-data API writes it, in REST answers and stream messages alike: `t`
/// time (to the nanosecond), `p` price, `s` size (fractional for crypto), `x` venue (stocks), `i`
/// trade id, `c` conditions, `z` tape, `tks` the taker's side (crypto: B or S).
struct AlpacaTradeFields: Decodable, Sendable {
    var t: String?
    var p: WireDecimal?
    var s: WireDecimal?
    var x: String?
    var i: WireDecimal?
    var c: WireConditions?
    var z: String?
    var tks: String?

    /// The trade; a bad field is named as `prefix` + its key (`trades.AAPL.p`).
    func trade(_ read: AlpacaFieldReader, prefix: String = "") throws(AlpacaWireError) -> Trade {
        let price = try read.requiredPrice(p?.text, prefix + "p")
        guard price > .zero else { throw read.fail(prefix + "p", "price \(price) is not positive") }
        let size = try read.quantity(s?.text, prefix + "s")
        guard size >= .zero else { throw read.fail(prefix + "s", "size \(size) is negative") }
        var id: UInt64?
        if let text = i?.text {
            guard let value = UInt64(text) else { throw read.fail(prefix + "i", "'\(text)' is not a trade id (a whole number)") }
            id = value
        }
        var taker: OrderSide?
        switch tks {
        case nil: taker = nil
        case "B"?: taker = .buy
        case "S"?: taker = .sell
        case let other?: throw read.fail(prefix + "tks", "unknown taker side '\(other)' (expected B or S)")
        }
        return Trade(timestamp: try read.requiredTime(t, prefix + "t"), price: price, size: size, exchange: x, id: id,
                     conditions: c?.codes ?? [], tape: z, takerSide: taker)
    }
}
