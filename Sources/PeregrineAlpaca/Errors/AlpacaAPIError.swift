import Foundation

/// Alpaca answered and said no (a 4xx, or a 429/5xx after the retries ran out). Carries the HTTP
/// status, Alpaca's numeric code and message, and the method and path, never a header or key.
public struct AlpacaAPIError: Error, CustomStringConvertible, Equatable {
    public let status: Int
    public let code: Int?
    public let message: String
    public let method: String
    public let path: String

    public var description: String {
        "Alpaca \(method) \(path): HTTP \(status)" + (code.map { " code \($0)" } ?? "") + ": \(message)"
    }

    init(response: HTTPResponseSpec, method: String, path: String) {
        struct Body: Decodable {
            var code: Int?
            var message: String?
        }
        let body = try? JSONDecoder().decode(Body.self, from: response.body)
        status = response.status
        code = body?.code
        message = body?.message ?? String(decoding: response.body.prefix(200), as: UTF8.self)
        self.method = method
        self.path = path
    }
}
