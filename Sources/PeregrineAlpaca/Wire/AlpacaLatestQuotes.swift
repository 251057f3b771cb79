import Foundation
import PeregrineCore

/// The latest quote of each symbol: `GET /v2/stocks/quotes/latest?symbols=...` and
/// `GET /v1beta3/crypto/us/latest/quotes?symbols=...` answer `{"quotes": {"AAPL": {...}}}`;
/// `GET /v2/stocks/{symbol}/quotes/latest` answers `{"symbol": "AAPL", "quote": {...}}`.
public enum AlpacaLatestQuotes {
    /// The multi-symbol answer, by symbol (a symbol without a quote is absent).
    public static func decode(_ data: Data) throws -> [String: Quote] {
        let raw = try JSONDecoder().decode(Many.self, from: data)
        let read = AlpacaFieldReader(document: "latest quotes")
        var quotes: [String: Quote] = [:]
        for (symbol, fields) in raw.quotes ?? [:] { quotes[symbol] = try fields.quote(read, prefix: "quotes.\(symbol).") }
        return quotes
    }

    /// The single-symbol answer.
    public static func decodeOne(_ data: Data) throws -> (symbol: String, quote: Quote) {
        let raw = try JSONDecoder().decode(One.self, from: data)
        let read = AlpacaFieldReader(document: "latest quote \(raw.symbol ?? "?")")
        guard let symbol = raw.symbol else { throw read.fail("symbol", "missing") }
        guard let fields = raw.quote else { throw read.fail("quote", "missing") }
        return (symbol, try fields.quote(read, prefix: "quote."))
    }

    struct Many: Decodable { var quotes: [String: AlpacaQuoteFields]? }
    struct One: Decodable {
        var symbol: String?
        var quote: AlpacaQuoteFields?
    }
}
