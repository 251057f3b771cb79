import Foundation
import PeregrineCore

/// One page of `GET /v2/stocks/bars` or `GET /v1beta3/crypto/us/bars`: bars per symbol and the token
/// for the next page, `nil` on the last. Prices and volumes arrive as JSON numbers; they are read
/// from their decimal text, so `150.01` is exactly 150.01 and a crypto volume of `0.0413` exactly that.
public struct AlpacaBarsPage: Equatable, Sendable {
    public var bars: [String: [Bar]]
    public var nextPageToken: String?

    public static func decode(_ data: Data) throws -> AlpacaBarsPage {
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        var bars: [String: [Bar]] = [:]
        for (symbol, rows) in raw.bars ?? [:] {
            let read = AlpacaFieldReader(document: "bars \(symbol)")
            bars[symbol] = try rows.enumerated().map { index, row throws(AlpacaWireError) -> Bar in
                try row.bar(read, prefix: "bars[\(index)].")
            }
        }
        return AlpacaBarsPage(bars: bars, nextPageToken: raw.next_page_token)
    }

    struct Raw: Decodable {
        var bars: [String: [AlpacaBarFields]]?
        var next_page_token: String?
    }
}
