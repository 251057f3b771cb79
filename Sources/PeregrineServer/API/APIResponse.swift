import Foundation

/// What the control API answers: a status, a content type and the body's bytes.
public struct APIResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: Data
    public var headers: [String: String] = [:]

    public init(status: Int, contentType: String, body: Data, headers: [String: String] = [:]) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    /// The value as JSON: snake_case keys, sorted, so identical state gives identical bytes.
    public static func json<Value: Encodable>(_ value: Value, status: Int = 200) -> APIResponse {
        do {
            return APIResponse(status: status, contentType: "application/json", body: try encoder.encode(value))
        } catch {
            return APIError(.internalError, "the response could not be encoded: \(error)").response
        }
    }

    public static func html(_ text: String) -> APIResponse {
        APIResponse(status: 200, contentType: "text/html; charset=utf-8", body: Data(text.utf8))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
