/// One result row by column name, whichever backend read it. Reading a column as the wrong type or a
/// column the query did not select throws, naming the column, instead of trapping.
struct StoreRow: Sendable {
    let columns: [String]
    let values: [StoreValue]

    init(columns: [String], values: [StoreValue]) {
        self.columns = columns
        self.values = values
    }

    /// The raw value of `column`.
    func value(_ column: String) throws -> StoreValue {
        guard let index = columns.firstIndex(of: column) else {
            throw StoreError(.corruptValue, "the query has no column \(column)")
        }
        return values[index]
    }

    subscript<T: StoreDecodable>(_ column: String) -> T {
        get throws { try T.decode(try value(column), column: column) }
    }
}

/// A Swift type a column reads back as.
protocol StoreDecodable {
    static func decode(_ value: StoreValue, column: String) throws -> Self
}

extension StoreDecodable {
    static func mismatch(_ value: StoreValue, _ column: String) -> StoreError {
        StoreError(.corruptValue, "column \(column): '\(value.canonicalText)' is not \(Self.self)")
    }
}

extension Int64: StoreDecodable {
    static func decode(_ value: StoreValue, column: String) throws -> Int64 {
        guard case .integer(let number) = value else { throw mismatch(value, column) }
        return number
    }
}

extension Int: StoreDecodable {
    static func decode(_ value: StoreValue, column: String) throws -> Int {
        guard case .integer(let number) = value, let result = Int(exactly: number) else { throw mismatch(value, column) }
        return result
    }
}

extension Double: StoreDecodable {
    static func decode(_ value: StoreValue, column: String) throws -> Double {
        switch value {
        case .real(let number): return number
        case .integer(let number): return Double(number)
        default: throw mismatch(value, column)
        }
    }
}

extension String: StoreDecodable {
    static func decode(_ value: StoreValue, column: String) throws -> String {
        guard case .text(let text) = value else { throw mismatch(value, column) }
        return text
    }
}

extension Optional: StoreDecodable where Wrapped: StoreDecodable {
    static func decode(_ value: StoreValue, column: String) throws -> Wrapped? {
        if case .null = value { return nil }
        return try Wrapped.decode(value, column: column)
    }
}
