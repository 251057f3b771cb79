import HummingbirdWebSocket

/// The sending side both exchange streams share: until canceled, it closes the connection when the
/// exchange drops its streams (`LocalExchange.dropStreams`, the tests' fault), otherwise hands over
/// whatever is new, then waits a poll interval.
enum StreamPump {
    static func start(_ exchange: LocalExchange, _ outbound: WebSocketOutboundWriter, pollNanoseconds: UInt64,
                      sendNew: @escaping @Sendable () async throws -> Void) async -> Task<Void, Error> {
        let generation = await exchange.streamDrops
        return Task {
            while !Task.isCancelled {
                if await exchange.streamDrops != generation {
                    try await outbound.close(.goingAway, reason: "stream dropped by the exchange")
                    return
                }
                try await sendNew()
                try await Task.sleep(nanoseconds: pollNanoseconds)
            }
        }
    }
}
