import Foundation
import HummingbirdWebSocket
import NIOCore
import PeregrineLive

/// `/api/v1/ws`: one watcher's WebSocket. It gets a snapshot first (`{"type": "snapshot", "data":
/// {"status": ..., "bots": [...]}}`), then every event the bots publish as it happens (bar, decision,
/// order, fill, equity, bot_state, risk, connection). A watcher that falls `TelemetryHub.capacity`
/// messages behind is closed with code 1008 and the reason, never slowing a bot.
struct TelemetrySocket: Sendable {
    let api: ControlAPI
    let hub: TelemetryHub

    func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        // Subscribed before the snapshot is taken, so nothing falls between the two.
        let (id, messages) = hub.subscribe()
        defer { hub.unsubscribe(id) }
        let status = await api.handle(APIRequest(method: "GET", target: "/api/v1/status", client: "ws", trusted: true))
        let bots = await api.handle(APIRequest(method: "GET", target: "/api/v1/bots", client: "ws", trusted: true))
        try await outbound.write(.text(#"{"data":{"bots":"# + String(decoding: bots.body, as: UTF8.self) + #","status":"#
            + String(decoding: status.body, as: UTF8.self) + #"},"type":"snapshot"}"#))
        // The watcher's own messages are read (and ignored); when it closes, its subscription ends too.
        let hub = self.hub
        let reader = Task {
            _ = try? await { for try await _ in inbound.messages(maxSize: 1 << 14) {} }()
            hub.unsubscribe(id)
        }
        defer { reader.cancel() }
        for await message in messages {
            try await outbound.write(.text(message))
        }
        // The stream ended: the watcher left, or was dropped for falling behind (then it is told why).
        try? await outbound.close(.policyViolation, reason: "too slow: fell \(hub.capacity) messages behind; reconnect for a new snapshot")
    }
}
