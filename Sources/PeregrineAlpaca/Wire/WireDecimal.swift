import Foundation

/// A number of Alpaca's market data kept as its decimal text. Alpaca writes prices and sizes as JSON
/// numbers; reading them as text (not through `Double`) keeps `150.01` exact, and accepting any JSON
/// value here lets the field's own check say what is wrong with it (`'abc' is not a decimal price`)
/// instead of a decoder's message about types.
struct WireDecimal: Decodable, Sendable {
    let text: String

    init(text: String) { self.text = text }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Decimal.self) {
            text = number.description
        } else if let string = try? container.decode(String.self) {
            text = string
        } else if let flag = try? container.decode(Bool.self) {
            text = String(flag)
        } else {
            text = "(not a number)"
        }
    }
}

/// Alpaca's condition codes: a list of strings, though alpaca-py also accepts a single string.
struct WireConditions: Decodable, Sendable {
    let codes: [String]

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            codes = list
        } else {
            codes = [try container.decode(String.self)]
        }
    }
}
