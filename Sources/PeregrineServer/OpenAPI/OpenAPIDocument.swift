import Foundation

/// The OpenAPI 3.1 document of the control API, built from the route table and the view schemas, so
/// routes and document cannot disagree. `openapi.json` at the repository root is this document,
/// written by `peregrine serve --openapi`; a test keeps the two equal.
public enum OpenAPIDocument {
    public static let document: JSONValue = {
        var paths: [(String, JSONValue)] = []
        for route in ControlAPI.routes {
            let operation = operation(route)
            if let index = paths.firstIndex(where: { $0.0 == route.path }), case .object(var members) = paths[index].1 {
                members.append((route.method.lowercased(), operation))
                paths[index].1 = .object(members)
            } else {
                var item: [(String, JSONValue)] = []
                let names = pathParameters(route.path)
                if !names.isEmpty {
                    item.append(("parameters", .array(names.map { name in
                        ["name": .string(name), "in": "path", "required": true, "schema": pathSchema(name, in: route.path)]
                    })))
                }
                item.append((route.method.lowercased(), operation))
                paths.append((route.path, .object(item)))
            }
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Peregrine control API",
                "version": .string(ControlAPI.version),
                "description": .string("Watch and steer Peregrine's bots. Every request but GET /api/v1/health carries "
                    + "'Authorization: Bearer <token>' (PEREGRINE_API_TOKEN, or the token file beside the store). Requests that "
                    + "change state must come from the server's own origin or none. Money, prices and quantities are exact decimals "
                    + "written as text. Errors are {code, message}."),
            ],
            "servers": [["url": "/"]],
            "security": [["bearer": []]],
            "paths": .object(paths),
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": .object(APISchemas.all),
            ],
        ]
    }()

    /// The document's bytes as served and committed.
    public static let rendered = Data((document.rendered() + "\n").utf8)

    /// Run ids are positive whole numbers, symbols what `QueryParameters.checkSymbol` takes, the rest text.
    static func pathSchema(_ name: String, in path: String) -> JSONValue {
        if name == "symbol" { return Schema.symbol }
        if name == "id" && path.hasPrefix("/api/v1/runs/") { return ["type": "integer", "minimum": 1] }
        return Schema.string
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    static func operation(_ route: APIRoute) -> JSONValue {
        var members: [(String, JSONValue)] = [("operationId", .string(route.operationID)), ("summary", .string(route.summary))]
        if route.isPublic { members.append(("security", [])) }
        if !route.query.isEmpty {
            members.append(("parameters", .array(route.query.map { parameter in
                ["name": .string(parameter.name), "in": "query", "required": false, "description": .string(parameter.description),
                 "schema": parameter.schema]
            })))
        }
        if let body = route.body {
            members.append(("requestBody", ["required": false, "content": ["application/json": ["schema": body]]]))
        }
        var responses: [(String, JSONValue)] = []
        if let schema = route.response {
            responses.append(("200", ["description": "OK", "content": ["application/json": ["schema": schema]]]))
        } else {
            responses.append(("200", ["description": route.textType == "text/html" ? "An HTML page" : "Text",
                                      "content": .object([(route.textType, .object([("schema", Schema.string)]))])]))
        }
        let descriptions = [400: "Bad request: a parameter or body that cannot be honoured", 401: "No token or a wrong one",
                            403: "A state change from a foreign origin", 404: "No such resource",
                            405: "The path does not take this method",
                            409: "Conflict: read-only server, or a confirmation missing", 429: "Too many failed attempts"]
        var statuses = route.errors
        if !route.isPublic { statuses += [401, 429] }
        statuses.append(405)
        for status in Set(statuses).sorted() {
            responses.append((String(status), ["description": .string(descriptions[status] ?? "Error"),
                                               "content": ["application/json": ["schema": Schema.ref("Error")]]]))
        }
        members.append(("responses", .object(responses)))
        return .object(members)
    }
}
