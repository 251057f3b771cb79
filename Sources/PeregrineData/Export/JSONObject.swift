/// A JSON object that keeps its keys in insertion order and prints numbers the same way every
/// run, so reports are byte-identical for identical runs. Non-finite numbers become `null`.
public struct JSONObject: Sendable {
    private var entries: [(String, String)] = []

    public init() {}

    public mutating func set(_ key: String, _ value: Double) {
        entries.append((key, value.isFinite ? JSONObject.number(value) : "null"))
    }
    public mutating func set(_ key: String, _ value: Int) { entries.append((key, String(value))) }
    public mutating func set(_ key: String, _ value: String) { entries.append((key, JSONObject.quote(value))) }
    public mutating func set(_ key: String, _ value: Bool) { entries.append((key, value ? "true" : "false")) }
    /// An exact decimal written as a JSON number (`1001963.17`).
    public mutating func set(_ key: String, decimal text: String) { entries.append((key, text)) }
    public mutating func set(_ key: String, _ value: JSONObject) { entries.append((key, value.render(indent: 1))) }
    public mutating func set(_ key: String, strings: [String]) {
        entries.append((key, "[" + strings.map(JSONObject.quote).joined(separator: ", ") + "]"))
    }

    public mutating func set(_ key: String, numbers: [Double]) {
        entries.append((key, "[" + numbers.map { $0.isFinite ? JSONObject.number($0) : "null" }.joined(separator: ", ") + "]"))
    }
    public mutating func set(_ key: String, integers: [Int]) {
        entries.append((key, "[" + integers.map(String.init).joined(separator: ",") + "]"))
    }
    public mutating func set(_ key: String, rows: [[Double]]) {
        entries.append((key, "[" + rows.map { "[" + $0.map { $0.isFinite ? JSONObject.number($0) : "null" }
            .joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"))
    }

    /// A value already encoded as JSON (a request body), written as it is.
    public mutating func set(_ key: String, encoded text: String) { entries.append((key, text)) }

    /// An array of objects, each written on one line.
    public mutating func set(_ key: String, objects: [JSONObject]) {
        entries.append((key, "[" + objects.map { $0.renderInline() }.joined(separator: ", ") + "]"))
    }

    /// The object on one line: `{"a": 1, "b": "x"}`.
    public func renderInline() -> String {
        "{" + entries.map { "\(JSONObject.quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    public func render(indent level: Int = 0) -> String {
        guard !entries.isEmpty else { return "{}" }
        let pad = String(repeating: "  ", count: level + 1)
        let close = String(repeating: "  ", count: level)
        let body = entries.map { key, value in
            let nested = value.hasPrefix("{\n") ? reindent(value, level: level + 1) : value
            return "\(pad)\(JSONObject.quote(key)): \(nested)"
        }
        return "{\n" + body.joined(separator: ",\n") + "\n" + close + "}"
    }

    private func reindent(_ value: String, level: Int) -> String {
        // Nested objects were rendered at depth 1; shift them to this depth.
        guard level > 1 else { return value }
        let extra = String(repeating: "  ", count: level - 1)
        return value.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : extra + $0.element }.joined(separator: "\n")
    }

    /// A finite number as JSON: whole numbers without a fraction, others as Swift prints them.
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A JSON string literal of `text`, control characters escaped.
    public static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
