import MCP

/// One tool as a model sees it: a name, what it does (with an example call), the JSON schema of its
/// arguments, and whether it only reads, runs research, or proposes trading.
struct MCPToolDefinition: Sendable {
    enum Kind: String, Sendable {
        /// Reads the store or a running server; changes nothing.
        case read
        /// Runs a research command on data files; writes only under the workspace.
        case research
        /// Proposes an action on running bots; off unless `--allow-trading`, and then only proposed.
        case trading
    }

    var name: String
    var title: String
    var description: String
    var kind: Kind
    /// Argument name and its JSON schema, in the order the schema lists them.
    var arguments: [(String, Value)]
    var required: [String] = []
    /// A valid call, shown in the schema's `examples`.
    var example: [String: Value]

    var tool: Tool {
        var properties: [String: Value] = [:]
        for (name, schema) in arguments { properties[name] = schema }
        let schema: Value = [
            "type": "object",
            "properties": .object(properties),
            "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
            "examples": [.object(example)],
        ]
        let hints = Tool.Annotations(title: title, readOnlyHint: kind != .trading, destructiveHint: kind == .trading,
                                     idempotentHint: kind == .read, openWorldHint: false)
        return Tool(name: name, title: title, description: description + " Example arguments: " + Self.text(of: .object(example)),
                    inputSchema: schema, annotations: hints)
    }

    /// Compact JSON of a value, keys sorted.
    static func text(of value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .array(let items): "[" + items.map(text(of:)).joined(separator: ", ") + "]"
        case .object(let members): "{" + members.keys.sorted().map { "\"\($0)\": " + text(of: members[$0]!) }.joined(separator: ", ") + "}"
        case .data(let mime, let bytes): "\"data:\(mime ?? "application/octet-stream");base64,\(bytes.base64EncodedString())\""
        }
    }
}
