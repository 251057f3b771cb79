import Foundation
import PeregrineCore

/// One item of a market-data stream message (Alpaca sends JSON arrays of items, each with its type
/// in `T`): control messages, the subscription, and bars (`b`), quotes (`q`) and trades (`t`) of a
/// symbol (`S`). Each item is read on its own, so one malformed item is reported with its field and
/// the others still arrive.
public enum AlpacaMarketDataMessage: Sendable, Equatable {
    /// `success` with its message (`connected`, `authenticated`).
    case success(String)
    case error(code: Int, message: String)
    /// What the connection is subscribed to now, per channel.
    case subscription(bars: [String], quotes: [String], trades: [String])
    case bar(symbol: String, Bar)
    case quote(symbol: String, Quote)
    case trade(symbol: String, Trade)
    /// A type Peregrine does not use (updated and daily bars, statuses, corrections, order books).
    case other(type: String)

    /// Every item of one message, each read or refused on its own. Throws only when the message
    /// is not a JSON array of objects at all.
    public static func decode(_ data: Data) throws(AlpacaWireError) -> [Result<AlpacaMarketDataMessage, AlpacaWireError>] {
        do {
            return try JSONDecoder().decode([Item].self, from: data).map(\.message)
        } catch {
            let text = String(decoding: data.prefix(120), as: UTF8.self)
            throw AlpacaWireError(document: "market-data message", field: "(message)", problem: "not a JSON array of objects: \(text)")
        }
    }

    /// One item as it came: its type and symbol, and its fields read by the type's own reader.
    struct Item: Decodable {
        let message: Result<AlpacaMarketDataMessage, AlpacaWireError>

        enum Key: String, CodingKey { case T, S, msg, code, bars, quotes, trades }

        init(from decoder: Decoder) throws {
            let keys = try decoder.container(keyedBy: Key.self)
            let type = (try? keys.decode(String.self, forKey: .T)) ?? ""
            let symbol = try? keys.decodeIfPresent(String.self, forKey: .S)
            let read = AlpacaFieldReader(document: "market-data \(type.isEmpty ? "item" : type) \(symbol ?? "")"
                .trimmingCharacters(in: .whitespaces))
            func fields<Fields: Decodable>(_ kind: Fields.Type) -> Result<Fields, AlpacaWireError> {
                do { return .success(try Fields(from: decoder)) } catch {
                    return .failure(read.fail(Self.field(of: error), Self.problem(of: error)))
                }
            }
            func requireSymbol() -> Result<String, AlpacaWireError> {
                guard let symbol, !symbol.isEmpty else { return .failure(read.fail("S", "missing")) }
                return .success(symbol)
            }
            switch type {
            case "":
                message = .failure(read.fail("T", "missing"))
            case "success":
                message = .success(.success((try? keys.decodeIfPresent(String.self, forKey: .msg)) ?? ""))
            case "error":
                message = .success(.error(code: (try? keys.decodeIfPresent(Int.self, forKey: .code)) ?? 0,
                                          message: (try? keys.decodeIfPresent(String.self, forKey: .msg)) ?? ""))
            case "subscription":
                func list(_ key: Key) -> [String] { ((try? keys.decodeIfPresent([String].self, forKey: key)) ?? nil) ?? [] }
                message = .success(.subscription(bars: list(.bars), quotes: list(.quotes), trades: list(.trades)))
            case "b":
                message = requireSymbol().flatMap { symbol in
                    fields(AlpacaBarFields.self).flatMap { bar in Result { () throws(AlpacaWireError) in .bar(symbol: symbol, try bar.bar(read)) } }
                }
            case "q":
                message = requireSymbol().flatMap { symbol in
                    fields(AlpacaQuoteFields.self).flatMap { quote in
                        Result { () throws(AlpacaWireError) in .quote(symbol: symbol, try quote.quote(read)) }
                    }
                }
            case "t":
                message = requireSymbol().flatMap { symbol in
                    fields(AlpacaTradeFields.self).flatMap { trade in
                        Result { () throws(AlpacaWireError) in .trade(symbol: symbol, try trade.trade(read)) }
                    }
                }
            default:
                message = .success(.other(type: type))
            }
        }

        static func field(of error: Error) -> String {
            guard let decoding = error as? DecodingError else { return "(item)" }
            let path: [CodingKey]
            switch decoding {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
            case .keyNotFound(let key, let context): path = context.codingPath + [key]
            @unknown default: path = []
            }
            // The first key is the item's place in the message; the rest is the field (`c[0]`).
            return path.dropFirst().reduce("") { name, key in
                if let index = key.intValue { return name + "[\(index)]" }
                return name.isEmpty ? key.stringValue : name + "." + key.stringValue
            }
        }

        static func problem(of error: Error) -> String {
            guard let decoding = error as? DecodingError else { return "\(error)" }
            switch decoding {
            case .typeMismatch(let type, _): return "expected \(type == String.self ? "text" : "\(type)")"
            case .valueNotFound: return "missing"
            case .keyNotFound: return "missing"
            case .dataCorrupted(let context): return context.debugDescription
            @unknown default: return "\(error)"
            }
        }
    }
}
