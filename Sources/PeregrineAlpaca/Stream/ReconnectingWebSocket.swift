import HummingbirdWSClient
import Logging
import PeregrineCore

/// One connection's conversation on a stream that reconnects: it serves the socket, and says
/// whether it got far enough (authenticated and listening or subscribed) for the backoff to start over.
protocol StreamConversation: Actor {
    nonisolated func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws
    var reachedService: Bool { get }
    /// Why the server ended it, when it said (an error message); nil for a plain close.
    var closeReason: String? { get }
}

/// The reconnect loop both Alpaca stream clients share: a fresh conversation per connection, and
/// after each ends, a wait of capped exponential backoff with full jitter (reset once a connection
/// reached service), reported before it starts. Refused keys (`AlpacaStreamRefused`) end it; so
/// does cancelling the task.
enum ReconnectingWebSocket {
    static func run<Conversation: StreamConversation>(
        url: String, retry: RetryPolicy, seed: UInt64, label: String, conversation: () -> Conversation,
        disconnected: (_ reason: String, _ retryIn: Double) async -> Void
    ) async throws {
        var generator = SeededGenerator(seed: seed)
        var failures = 0
        var logger = Logger(label: label)
        logger.logLevel = .critical
        while !Task.isCancelled {
            let session = conversation()
            var reason: String
            do {
                try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
                    try await session.serve(inbound, outbound)
                }
                reason = await session.closeReason ?? "closed by the server"
            } catch let refused as AlpacaStreamRefused {
                throw refused
            } catch {
                reason = "\(error)"
            }
            if Task.isCancelled { return }
            if await session.reachedService { failures = 0 }
            failures += 1
            let wait = retry.delay(afterAttempt: failures, jitter: generator.nextUniform())
            await disconnected(reason, wait)
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
    }
}
