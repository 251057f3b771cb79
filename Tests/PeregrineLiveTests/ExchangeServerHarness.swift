import Foundation
import PeregrineExchange
import Testing

/// The local exchange's server on a free port for stream tests, and a polling wait.
enum ExchangeServerHarness {
    static func serve(_ exchange: LocalExchange) async throws -> (Task<Void, Error>, String, @Sendable () async -> Void) {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let group = ExchangeServer(exchange: exchange, port: 0).serviceGroup { sink.yield($0) }
        let server = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return (server, "http://127.0.0.1:\(port)", { await group.triggerGracefulShutdown() })
    }

    /// A minute by default: it returns as soon as the condition holds, and the whole suite running in
    /// parallel can hold a connection back for many seconds.
    static func waitUntil(_ seconds: Double = 60, _ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return false
    }
}
