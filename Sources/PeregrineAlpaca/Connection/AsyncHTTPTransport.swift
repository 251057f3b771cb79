import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The real network: HTTP/1.1 and TLS through AsyncHTTPClient. Any failure to get a response
/// (refused, reset, timed out) becomes a `TransportFailure`, whose text names the URL and the cause
/// but never a header, so keys cannot leak through it.
public struct AsyncHTTPTransport: HTTPTransport {
    let client: HTTPClient
    let timeoutSeconds: Int64

    public init(client: HTTPClient = .shared, timeoutSeconds: Int64 = 10) {
        self.client = client
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(outgoing, timeout: .seconds(timeoutSeconds))
            let body = try await response.body.collect(upTo: 64 << 20)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name] = header.value }
            return HTTPResponseSpec(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
        } catch {
            throw TransportFailure("\(request.method.rawValue) \(Self.withoutQuery(request.url)): \(error)")
        }
    }

    /// Query strings can carry ids; the path is enough to say what failed.
    static func withoutQuery(_ url: String) -> String { String(url.split(separator: "?", maxSplits: 1).first ?? "") }
}
