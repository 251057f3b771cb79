import PeregrineCore
import PeregrineData
import PeregrineStorage

/// Reads a request's query into a `RecordQuery`, refusing with a 400 what it cannot honour: a name the
/// route does not take, a limit out of range, a time that does not parse, a range that ends before it
/// starts. Nothing is silently ignored, so a typo in a filter never returns unfiltered rows.
struct QueryParameters {
    let request: APIRequest
    let allowed: Set<String>

    static let maximumLimit = 1000

    init(_ request: APIRequest, allowed: [String]) throws(APIError) {
        self.request = request
        self.allowed = Set(allowed)
        for name in request.query.keys.sorted() where !self.allowed.contains(name) {
            throw APIError(.badRequest, "unknown query parameter '\(name)'; this endpoint takes "
                           + (allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")))
        }
    }

    /// The text of a parameter, nil when absent; an empty value is refused.
    func text(_ name: String) throws(APIError) -> String? {
        guard let value = request.query[name] else { return nil }
        guard !value.isEmpty else { throw APIError(.badRequest, "query parameter '\(name)' is empty") }
        guard value.count <= 200 else { throw APIError(.badRequest, "query parameter '\(name)' is longer than 200 characters") }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int64>) throws(APIError) -> Int64? {
        guard let text = try text(name) else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw APIError(.badRequest, "query parameter '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// An ISO 8601 time (`2024-03-01`, `2024-03-01T14:30:00Z`; UTC when no offset is given).
    func time(_ name: String) throws(APIError) -> Timestamp? {
        guard let text = try text(name) else { return nil }
        switch TimestampParser().parse(Array(text.utf8)) {
        case .success(let parsed): return parsed.timestamp
        case .failure:
            throw APIError(.badRequest, "query parameter '\(name)' is not a time: '\(text)' (write 2024-03-01 or 2024-03-01T14:30:00Z)")
        }
    }

    /// A symbol: letters, digits and `.`, `/`, `-` (BRK.B, BTC/USD), at most 32 characters.
    func symbol(_ name: String = "symbol") throws(APIError) -> String? {
        guard let text = try text(name) else { return nil }
        try Self.checkSymbol(text)
        return text
    }

    static func checkSymbol(_ text: String) throws(APIError) {
        let allowed = text.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 47 || $0 == 45 }
        guard !text.isEmpty, text.count <= 32, allowed else {
            throw APIError(.badRequest, "'\(text.prefix(40))' is not a symbol (letters, digits, '.', '/', '-'; at most 32 characters)")
        }
    }

    /// The common paging and filters of a listing.
    func recordQuery() throws(APIError) -> RecordQuery {
        var query = RecordQuery()
        query.bot = try text("bot")
        query.symbol = try symbol()
        query.runID = try integer("run", in: 1...Int64.max)
        query.from = try time("from")
        query.to = try time("to")
        if let from = query.from, let to = query.to, to < from {
            throw APIError(.badRequest, "the time range ends (\(to.iso8601)) before it starts (\(from.iso8601))")
        }
        query.limit = Int(try integer("limit", in: 1...Int64(Self.maximumLimit)) ?? 100)
        query.before = try integer("before", in: 1...Int64.max)
        return query
    }
}
