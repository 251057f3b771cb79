import Foundation
import PeregrineAlpaca

/// A running server's control API over HTTP, with its bearer token. The token is sent, never logged
/// or put in a tool's result.
public struct RemoteControlAPI: ControlAPIAccess {
    let baseURL: String
    let token: String
    let transport: any HTTPTransport

    public init(baseURL: String, token: String, transport: any HTTPTransport) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.transport = transport
    }

    public var source: String { baseURL }

    public func send(method: String, target: String, body: Data?) async -> APIResponse {
        let verb = HTTPRequestSpec.Method(rawValue: method) ?? .get
        var headers = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        do {
            let answer = try await transport.send(HTTPRequestSpec(method: verb, url: baseURL + target, headers: headers, body: body))
            return APIResponse(status: answer.status, contentType: answer.headers["content-type"] ?? "application/json", body: answer.body)
        } catch {
            return APIError(.internalError, "the control API at \(baseURL) did not answer: \(error)").response
        }
    }
}
