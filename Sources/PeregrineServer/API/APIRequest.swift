import Foundation

/// A request as the control API sees it, free of the HTTP server's types, so the API can be driven
/// in-process by tests exactly as the server drives it.
public struct APIRequest: Sendable {
    public var method: String
    /// The path without the query, e.g. `/api/v1/bots/momentum`.
    public var path: String
    public var query: [String: String]
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: Data
    /// Who asked (an address), for rate limits and the audit trail; never the token.
    public var client: String
    /// Made inside the server (the WebSocket's snapshot), not received: no token to check.
    let trusted: Bool
    /// The id its log lines and its answer's `X-Request-Id` carry (set by `ControlAPI.handle`).
    var requestID = ""

    public init(method: String, target: String, headers: [String: String] = [:], body: Data = Data(), client: String = "local") {
        self.init(method: method, target: target, headers: headers, body: body, client: client, trusted: false)
    }

    init(method: String, target: String, headers: [String: String] = [:], body: Data = Data(), client: String, trusted: Bool) {
        self.trusted = trusted
        self.method = method.uppercased()
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        self.headers = lowered
        self.body = body
        self.client = client
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map(String.init) ?? "/"
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let item = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(item[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(item[0])
                let value = item.count > 1 ? (String(item[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(item[1])) : ""
                query[name] = value
            }
        }
        self.query = query
    }
}
