import Foundation

/// How the MCP tools reach the control API: in this process (a store opened here) or over HTTP (a
/// running `peregrine run --serve` or `trade --serve`). Tools speak only REST paths, so the two
/// answer alike.
public protocol ControlAPIAccess: Sendable {
    /// Where the answers come from, for the tools' results (`store FILE` or the API's URL).
    var source: String { get }
    func send(method: String, target: String, body: Data?) async -> APIResponse
}

/// The control API of this process, asked directly (as the dashboard's own server would).
public struct InProcessControlAPI: ControlAPIAccess {
    let api: ControlAPI
    public let source: String

    public init(api: ControlAPI, source: String) {
        self.api = api
        self.source = source
    }

    public func send(method: String, target: String, body: Data?) async -> APIResponse {
        await api.handle(APIRequest(method: method, target: target, body: body ?? Data(), client: "mcp", trusted: true))
    }
}
