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

    static func waitUntil(_ seconds: Double = 10, _ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await condition() { return true }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return false
    }
}
