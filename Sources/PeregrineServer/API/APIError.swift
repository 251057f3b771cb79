/// A refused request: a stable `code`, a message that says what was wrong and what would be right,
/// and the HTTP status it maps to. Sent as JSON `{"code": ..., "message": ...}`.
public struct APIError: Error, Sendable, Equatable {
    public enum Code: String, Sendable {
        case badRequest = "bad_request"
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case conflict
        case readOnly = "read_only"
        case confirmationRequired = "confirmation_required"
        case tooManyRequests = "too_many_requests"
        case internalError = "internal_error"

        var status: Int {
            switch self {
            case .badRequest: 400
            case .unauthorized: 401
            case .forbidden: 403
            case .notFound: 404
            case .methodNotAllowed: 405
            case .conflict, .readOnly, .confirmationRequired: 409
            case .tooManyRequests: 429
            case .internalError: 500
            }
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var response: APIResponse {
        var response = APIResponse.json(Body(code: code.rawValue, message: message), status: code.status)
        if code == .unauthorized { response.headers["WWW-Authenticate"] = "Bearer" }
        return response
    }

    struct Body: Encodable {
        var code: String
        var message: String
    }
}
