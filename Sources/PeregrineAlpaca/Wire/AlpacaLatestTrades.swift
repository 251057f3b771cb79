import Foundation
import PeregrineCore

/// The latest trade of each symbol: `GET /v2/stocks/trades/latest?symbols=...` and
/// `GET /v1beta3/crypto/us/latest/trades?symbols=...` answer `{"trades": {"AAPL": {...}}}`;
/// `GET /v2/stocks/{symbol}/trades/latest` answers `{"symbol": "AAPL", "trade": {...}}`.
public enum AlpacaLatestTrades {
    /// The multi-symbol answer, by symbol (a symbol without a trade is absent).
    public static func decode(_ data: Data) throws -> [String: Trade] {
        let raw = try JSONDecoder().decode(Many.self, from: data)
        let read = AlpacaFieldReader(document: "latest trades")
        var trades: [String: Trade] = [:]
        for (symbol, fields) in raw.trades ?? [:] { trades[symbol] = try fields.trade(read, prefix: "trades.\(symbol).") }
        return trades
    }

    /// The single-symbol answer.
    public static func decodeOne(_ data: Data) throws -> (symbol: String, trade: Trade) {
        let raw = try JSONDecoder().decode(One.self, from: data)
        let read = AlpacaFieldReader(document: "latest trade \(raw.symbol ?? "?")")
        guard let symbol = raw.symbol else { throw read.fail("symbol", "missing") }
        guard let fields = raw.trade else { throw read.fail("trade", "missing") }
        return (symbol, try fields.trade(read, prefix: "trade."))
    }

    struct Many: Decodable { var trades: [String: AlpacaTradeFields]? }
    struct One: Decodable {
        var symbol: String?
        var trade: AlpacaTradeFields?
    }
}
