/// Small builders for the JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the API's bodies.
enum Schema {
    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]
    /// An exact decimal carried as text, so no float rounding touches money or quantities.
    static let decimal: JSONValue = ["type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"]
    /// What `QueryParameters.checkSymbol` accepts.
    static let symbol: JSONValue = ["type": "string", "pattern": "^[A-Za-z0-9./-]{1,32}$"]
    static let time: JSONValue = ["type": "string", "format": "date-time"]

    static func string(_ description: String) -> JSONValue { ["type": "string", "description": .string(description)] }
    static func oneOf(_ values: [String]) -> JSONValue { ["type": "string", "enum": .array(values.map { .string($0) })] }
    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func map(_ values: JSONValue) -> JSONValue { ["type": "object", "additionalProperties": values] }

    /// An object whose `required` members are always present and whose `optional` ones may be absent.
    static func object(required: [(String, JSONValue)], optional: [(String, JSONValue)] = [],
                       description: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", "object")]
        if let description { members.append(("description", .string(description))) }
        members.append(("required", .array(required.map { .string($0.0) })))
        members.append(("properties", .object(required + optional)))
        members.append(("additionalProperties", false))
        return .object(members)
    }

    /// A page of a listing.
    static func page(of item: String) -> JSONValue {
        object(required: [("items", array(ref(item)))], optional: [("next_before", integer)],
               description: "One page, newest first; pass next_before as before to read the next (older) page.")
    }
}
