import PeregrineCore
import PeregrineData

/// Turns Alpaca's decimal strings and RFC 3339 times into Peregrine's exact types. Alpaca sends money,
/// prices and quantities as strings precisely so they survive exactly; reading them through `Double`
/// would throw that away.
struct AlpacaFieldReader {
    let document: String

    func fail(_ field: String, _ problem: String) -> AlpacaWireError {
        AlpacaWireError(document: document, field: field, problem: problem)
    }

    func price(_ text: String?, _ field: String) throws(AlpacaWireError) -> Price? {
        guard let text else { return nil }
        guard let value = Price(text) else { throw fail(field, "'\(text)' is not a decimal price") }
        return value
    }

    func requiredPrice(_ text: String?, _ field: String) throws(AlpacaWireError) -> Price {
        guard let value = try price(text, field) else { throw fail(field, "missing") }
        return value
    }

    func quantity(_ text: String?, _ field: String) throws(AlpacaWireError) -> Quantity {
        guard let text else { throw fail(field, "missing") }
        // Short positions come back with a leading minus.
        if text.hasPrefix("-") {
            guard let value = Quantity(String(text.dropFirst())) else { throw fail(field, "'\(text)' is not a decimal quantity") }
            return -value
        }
        guard let value = Quantity(text) else { throw fail(field, "'\(text)' is not a decimal quantity") }
        return value
    }

    func money(_ text: String?, _ field: String) throws(AlpacaWireError) -> Money {
        guard let text else { throw fail(field, "missing") }
        guard let value = Money(text) else { throw fail(field, "'\(text)' is not a decimal amount") }
        return value
    }

    func time(_ text: String?, _ field: String) throws(AlpacaWireError) -> Timestamp? {
        guard let text else { return nil }
        switch TimestampParser().parse(Array(text.utf8)) {
        case .success(let parsed) where parsed.hadOffset && parsed.hadTime: return parsed.timestamp
        case .success: throw fail(field, "'\(text)' has no UTC offset")
        case .failure: throw fail(field, "'\(text)' is not an RFC 3339 time")
        }
    }

    func requiredTime(_ text: String?, _ field: String) throws(AlpacaWireError) -> Timestamp {
        guard let value = try time(text, field) else { throw fail(field, "missing") }
        return value
    }

    func choice<Value: RawRepresentable>(_ text: String?, _ field: String, as type: Value.Type) throws(AlpacaWireError) -> Value
    where Value.RawValue == String {
        guard let text else { throw fail(field, "missing") }
        guard let value = Value(rawValue: text) else { throw fail(field, "unknown value '\(text)'") }
        return value
    }
}
