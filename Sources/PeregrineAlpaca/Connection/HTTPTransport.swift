import Foundation

/// One HTTP request as the Alpaca client builds it.
public struct HTTPRequestSpec: Sendable, Equatable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", patch = "PATCH", delete = "DELETE" }

    public var method: Method
    public var url: String
    public var headers: [String: String]
    public var body: Data?

    public init(method: Method, url: String, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// A header's value by name, ignoring case as HTTP does.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// GET and DELETE may be repeated without changing the outcome; POST and PATCH may not.
    public var isIdempotent: Bool { method == .get || method == .delete }
}

/// One HTTP response: status, headers (lower-cased names) and body.
public struct HTTPResponseSpec: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) })
        self.body = body
    }
}

/// The network underneath the Alpaca client. The client owns policy (budget, retries, idempotency);
/// a transport only moves bytes, which is what lets tests script failures exactly.
public protocol HTTPTransport: Sendable {
    /// Throws `TransportFailure` when no response arrived (timeout, connection refused, reset).
    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec
}

/// No response arrived: the request may or may not have reached the server.
public struct TransportFailure: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
