import Foundation

/// One endpoint: its method and path template (`/api/v1/bots/{name}`), what the OpenAPI document says
/// of it, and its handler. The document is built from these, so the two cannot drift apart.
struct APIRoute: Sendable {
    struct QueryParameter: Sendable {
        var name: String
        var description: String
        var schema: JSONValue
    }

    var method: String
    var path: String
    var operationID: String
    var summary: String
    var query: [QueryParameter] = []
    /// The schema of a JSON request body, when the endpoint takes one.
    var body: JSONValue?
    /// The 200 answer's schema (JSON), or nil for text of `textType` (an HTML page, Prometheus' text).
    var response: JSONValue?
    var textType = "text/html"
    /// The error statuses it can answer besides 401 (and 429).
    var errors: [Int] = []
    /// Served without a token (only `health`).
    var isPublic = false
    var handler: @Sendable (ControlAPI, APIRequest, [String: String]) async throws -> APIResponse

    var mutating: Bool { method != "GET" && method != "HEAD" }

    /// The path's `{name}` captures when `path` matches this route's template, nil otherwise.
    func match(_ path: String) -> [String: String]? {
        Self.match(Self.segments(path), template: Self.segments(self.path))
    }

    /// A path cut at its slashes, empty parts kept (split on the character: the string-separator
    /// overload searches substrings and cost more than the whole answer).
    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/" as Character, omittingEmptySubsequences: false)
    }

    /// The captures of a path already cut into segments against a template's segments.
    static func match(_ given: [Substring], template: [Substring]) -> [String: String]? {
        guard template.count == given.count else { return nil }
        var captures: [String: String] = [:]
        for (pattern, part) in zip(template, given) {
            if pattern.first == "{" && pattern.last == "}" {
                guard !part.isEmpty, let value = String(part).removingPercentEncoding else { return nil }
                captures[String(pattern.dropFirst().dropLast())] = value
            } else if pattern != part {
                return nil
            }
        }
        return captures
    }
}
