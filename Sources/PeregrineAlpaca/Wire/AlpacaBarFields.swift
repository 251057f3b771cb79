import Foundation
import PeregrineCore

/// A bar as Alpaca's market-data API writes it, in REST pages and stream messages alike (`t` start
/// time, `o`/`h`/`l`/`c` prices, `v` volume, fractional for crypto), read exactly from its decimal
/// text and checked: prices positive, the low and high around the open and close.
struct AlpacaBarFields: Decodable, Sendable {
    var t: String?
    var o: WireDecimal?
    var h: WireDecimal?
    var l: WireDecimal?
    var c: WireDecimal?
    var v: WireDecimal?

    /// The bar; a bad field is named as `prefix` + its key (`bars[3].o`).
    func bar(_ read: AlpacaFieldReader, prefix: String = "") throws(AlpacaWireError) -> Bar {
        func price(_ value: WireDecimal?, _ name: String) throws(AlpacaWireError) -> Price {
            let price = try read.requiredPrice(value?.text, prefix + name)
            guard price > .zero else { throw read.fail(prefix + name, "price \(price) is not positive") }
            return price
        }
        let volume = try read.quantity(v?.text, prefix + "v")
        guard volume >= .zero else { throw read.fail(prefix + "v", "volume \(volume) is negative") }
        let bar = Bar(timestamp: try read.requiredTime(t, prefix + "t"), open: try price(o, "o"), high: try price(h, "h"),
                      low: try price(l, "l"), close: try price(c, "c"), volume: volume)
        guard bar.low <= min(bar.open, bar.close), bar.high >= max(bar.open, bar.close) else {
            throw read.fail(prefix + "t", "bar at \(t ?? "?") has low/high outside open/close")
        }
        return bar
    }
}
