import Foundation
import MCP

/// The open MCP sessions by id: an `initialize` POST opens one, DELETE closes it, an hour idle expires it.
actor MCPSessions {
    struct Session {
        let server: MCP.Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: Date
    }

    private var sessions: [String: Session] = [:]
    private let makeServer: @Sendable () async -> MCP.Server
    static let idleSeconds: TimeInterval = 3600
    static let capacity = 100

    init(makeServer: @escaping @Sendable () async -> MCP.Server) {
        self.makeServer = makeServer
    }

    func handle(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        await expireIdle()
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id] else {
                return .error(statusCode: 404, .invalidRequest("Not Found: no session \(id.prefix(60)); initialize again"))
            }
            session.lastUsed = Date()
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                sessions.removeValue(forKey: id)
                await session.server.stop()
            }
            return response
        }
        guard request.method.uppercased() == "POST", let body = request.body, Self.isInitialize(body) else {
            return .error(statusCode: 400, .invalidRequest("Bad Request: send initialize first, then the \(HTTPHeaderName.sessionID) header it returns"))
        }
        guard sessions.count < Self.capacity else {
            return .error(statusCode: 503, .internalError("\(Self.capacity) MCP sessions are open; close one (DELETE) first"))
        }
        let id = UUID().uuidString
        let transport = StatefulHTTPServerTransport(sessionIDGenerator: FixedSessionID(id: id))
        let server = await makeServer()
        do {
            try await server.start(transport: transport)
        } catch {
            return .error(statusCode: 500, .internalError("the MCP session could not start: \(error)"))
        }
        let response = await transport.handleRequest(request)
        if case .error = response {
            await server.stop()
        } else {
            sessions[id] = Session(server: server, transport: transport, lastUsed: Date())
        }
        return response
    }

    private func expireIdle() async {
        let now = Date()
        for (id, session) in sessions where now.timeIntervalSince(session.lastUsed) > Self.idleSeconds {
            sessions.removeValue(forKey: id)
            await session.server.stop()
        }
    }

    /// Whether a POST body is the JSON-RPC `initialize` request that opens a session.
    static func isInitialize(_ body: Data) -> Bool {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["method"] as? String == "initialize"
    }

    struct FixedSessionID: SessionIDGenerator {
        let id: String
        func generateSessionID() -> String { id }
    }
}
