import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import MCP
import NIOCore
import ServiceLifecycle

/// MCP over streamable HTTP at `/mcp`: one MCP session per client that initializes, each with its
/// own server over the same toolbox. Every request carries the API's bearer token (checked, failures
/// rate-limited and logged without it); anything else is 404.
public final class MCPHTTPServer: Sendable {
    public static let path = "/mcp"
    let sessions: MCPSessions
    let requestGuard: RequestGuard
    public let address: ServeAddress

    public init(toolbox: MCPToolbox, version: String, requestGuard: RequestGuard, address: ServeAddress) {
        sessions = MCPSessions { await MCPServerFactory.make(toolbox, version: version) }
        self.requestGuard = requestGuard
        self.address = address
    }

    /// Answers one HTTP request (the tests call this directly, as the server does).
    func answer(method: String, path: String, headers: [String: String], body: Data, client: String) async -> MCP.HTTPResponse {
        guard path == Self.path else {
            return .error(statusCode: 404, .invalidRequest("Not Found: the MCP endpoint is \(Self.path)"))
        }
        do {
            // The token as the control API checks it; the origin check is the transport's (localhost only).
            try requestGuard.check(APIRequest(method: method, target: path, headers: headers, client: client), mutating: false)
        } catch {
            let status = error.code == .tooManyRequests ? 429 : 401
            return .error(statusCode: status, .invalidRequest(error.message), extraHeaders: status == 401 ? ["WWW-Authenticate": "Bearer"] : [:])
        }
        return await sessions.handle(MCP.HTTPRequest(method: method, headers: headers, body: body.isEmpty ? nil : body, path: path))
    }

    /// The server as a service; `onRunning` gets the bound port.
    public func service(onRunning: @escaping @Sendable (Int) async -> Void) -> some Service {
        let responder = CallbackResponder<ControlRequestContext> { [self] request, context in
            let body = try await request.body.collect(upTo: 1024 * 1024)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let answer = await self.answer(method: request.method.rawValue, path: request.uri.path, headers: headers,
                                           body: Data(body.readableBytesView), client: context.client)
            var fields = HTTPFields()
            for (name, value) in answer.headers { if let key = HTTPField.Name(name) { fields[key] = value } }
            fields[.cacheControl] = "no-store"
            let status = HTTPResponse.Status(code: answer.statusCode)
            if case .stream(let stream, _) = answer {
                let bytes = stream.map { ByteBuffer(bytes: $0) }
                return Response(status: status, headers: fields, body: ResponseBody(asyncSequence: bytes))
            }
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.bodyData ?? Data())))
        }
        var logger = Logger(label: "peregrine-mcp")
        logger.logLevel = .warning
        return Application(responder: responder,
                           configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port), serverName: "peregrine-mcp"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }
}
