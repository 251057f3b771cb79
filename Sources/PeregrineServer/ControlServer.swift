import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// Serves a `ControlAPI` over HTTP (Hummingbird). The server only moves bytes: every request becomes
/// an `APIRequest` for `ControlAPI.handle`, with the client's address for rate limits and the audit trail.
public struct ControlServer: Sendable {
    public let api: ControlAPI
    public let address: ServeAddress

    public init(api: ControlAPI, address: ServeAddress) {
        self.api = api
        self.address = address
    }

    /// The server as a service for a group that also runs the bots; `onRunning` gets the bound port.
    public func service(onRunning: @escaping @Sendable (Int) async -> Void) -> some Service {
        let api = self.api
        let responder = CallbackResponder<ControlRequestContext> { request, context in
            let body = try await request.body.collect(upTo: 64 * 1024)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let answer = await api.handle(APIRequest(method: request.method.rawValue, target: request.uri.description, headers: headers,
                                                     body: Data(body.readableBytesView), client: context.client))
            var fields = HTTPFields()
            fields[.contentType] = answer.contentType
            fields[.cacheControl] = "no-store"
            fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            for (name, value) in answer.headers { if let key = HTTPField.Name(name) { fields[key] = value } }
            return Response(status: HTTPResponse.Status(code: answer.status), headers: fields,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        var logger = Logger(label: "peregrine-server")
        logger.logLevel = .warning
        // /api/v1/ws upgrades to the telemetry WebSocket once its token checks out; anything else is plain HTTP.
        let server = HTTPServerBuilder.http1WebSocketUpgrade { request, channel, _ in
            var headers: [String: String] = [:]
            for field in request.headerFields { headers[field.name.canonicalName] = field.value }
            let client = channel.remoteAddress?.ipAddress ?? "unknown"
            guard let hub = api.telemetry, api.mayWatch(path: request.path ?? "", headers: headers, client: client) else { return .dontUpgrade }
            let socket = TelemetrySocket(api: api, hub: hub)
            return .upgrade([:]) { inbound, outbound, _ in try await socket.serve(inbound, outbound) }
        }
        return Application(responder: responder, server: server,
                           configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port),
                                                                   serverName: "peregrine"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    /// Runs the server alone until SIGINT or SIGTERM.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        var logger = Logger(label: "peregrine-server")
        logger.logLevel = .warning
        try await ServiceGroup(configuration: ServiceGroupConfiguration(services: [service(onRunning: onRunning)],
                                                                        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}

/// A request context that remembers who is asking (the peer's address).
public struct ControlRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let client: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
