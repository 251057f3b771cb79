import Foundation
import PeregrineCore

/// One page of `GET /v2/stocks/bars` (or the crypto equivalent): bars per symbol and the token for
/// the next page, `nil` on the last. Prices arrive as JSON numbers; they are read from their decimal
/// text, so `150.01` is exactly 150.01 and not the nearest binary double.
public struct AlpacaBarsPage: Equatable, Sendable {
    public var bars: [String: [Bar]]
    public var nextPageToken: String?

    public static func decode(_ data: Data) throws -> AlpacaBarsPage {
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        var bars: [String: [Bar]] = [:]
        for (symbol, rows) in raw.bars ?? [:] {
            let read = AlpacaFieldReader(document: "bars \(symbol)")
            bars[symbol] = try rows.enumerated().map { index, row throws(AlpacaWireError) -> Bar in
                let field = { (name: String) in "bars[\(index)].\(name)" }
                func price(_ value: Decimal, _ name: String) throws(AlpacaWireError) -> Price {
                    guard value > 0 else { throw read.fail(field(name), "price \(value) is not positive") }
                    return try read.requiredPrice(value.description, field(name))
                }
                let volume = try read.quantity(row.v.description, field("v"))
                let bar = Bar(timestamp: try read.requiredTime(row.t, field("t")), open: try price(row.o, "o"),
                              high: try price(row.h, "h"), low: try price(row.l, "l"), close: try price(row.c, "c"),
                              volume: volume)
                guard bar.low <= min(bar.open, bar.close), bar.high >= max(bar.open, bar.close) else {
                    throw read.fail(field("t"), "bar at \(row.t) has low/high outside open/close")
                }
                return bar
            }
        }
        return AlpacaBarsPage(bars: bars, nextPageToken: raw.next_page_token)
    }

    struct Raw: Decodable {
        var bars: [String: [Row]]?
        var next_page_token: String?
    }

    struct Row: Decodable {
        var t: String
        var o: Decimal
        var h: Decimal
        var l: Decimal
        var c: Decimal
        var v: Decimal
    }
}
