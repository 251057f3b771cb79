import Foundation

/// Checks a decoded JSON value against the subset of JSON Schema the API's document uses (type, enum,
/// pattern, required, properties, additionalProperties, items, $ref), and lists every violation with
/// its path. Independent of the server's own encoding, so a view that drifts from its schema fails.
struct SchemaValidator {
    let components: [String: Any]

    init(document: Any) {
        components = ((document as? [String: Any])?["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
    }

    func violations(of value: Any, against schema: Any, at path: String = "$") -> [String] {
        guard let schema = schema as? [String: Any] else { return ["\(path): schema is not an object"] }
        if let ref = schema["$ref"] as? String {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let target = components[name] else { return ["\(path): unknown $ref \(ref)"] }
            return violations(of: value, against: target, at: path)
        }
        var found: [String] = []
        if let type = schema["type"] as? String, !Self.matches(value, type: type) {
            return ["\(path): expected \(type), got \(value)"]
        }
        if let options = schema["enum"] as? [String], let text = value as? String, !options.contains(text) {
            found.append("\(path): '\(text)' is not one of \(options)")
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): '\(text)' does not match \(pattern)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path): '\(key)' is missing") }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, member) in object {
                if let property = properties[key] {
                    found += violations(of: member, against: property, at: path + "." + key)
                } else if let extra = schema["additionalProperties"] {
                    if let allowed = extra as? Bool {
                        if !allowed && schema["properties"] != nil { found.append("\(path): '\(key)' is not in the schema") }
                    } else {
                        found += violations(of: member, against: extra, at: path + "." + key)
                    }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { found += violations(of: item, against: items, at: "\(path)[\(index)]") }
        }
        return found
    }

    /// Parses JSON keeping booleans apart from the numbers 0 and 1 (JSONSerialization on Linux does not).
    static func parse(_ data: Data) throws -> Any { try JSONDecoder().decode(Tree.self, from: data).value }

    private struct Tree: Decodable {
        let value: Any

        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var items: [Any] = []
                while !array.isAtEnd { items.append(try array.decode(Tree.self).value) }
                value = items
            } else if let object = try? decoder.container(keyedBy: Key.self) {
                var members: [String: Any] = [:]
                for key in object.allKeys { members[key.stringValue] = try object.decode(Tree.self, forKey: key).value }
                value = members
            } else {
                let single = try decoder.singleValueContainer()
                if single.decodeNil() { value = NSNull() }
                else if let flag = try? single.decode(Bool.self) { value = flag }
                else if let whole = try? single.decode(Int.self) { value = whole }
                else if let number = try? single.decode(Double.self) { value = number }
                else { value = try single.decode(String.self) }
            }
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    static func matches(_ value: Any, type: String) -> Bool {
        let isBool = Swift.type(of: value) == Bool.self
        switch type {
        case "string": return value is String
        case "boolean": return isBool
        case "integer":
            if value is Int || value is Int64 { return !isBool }
            guard let number = value as? NSNumber, !isBool else { return false }
            return number.doubleValue == number.doubleValue.rounded()
        case "number": return !isBool && (value is Int || value is Double || value is NSNumber)
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        default: return true
        }
    }
}
