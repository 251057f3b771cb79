import Foundation
import HummingbirdWebSocket
import NIOCore
import PeregrineAlpaca

/// Alpaca's trading stream on the local exchange (`ws://…/stream`): the client authenticates with
/// its key pair (Alpaca's `{"action":"auth","key","secret"}` or the `authenticate` form alpaca-py
/// sends), asks to `listen` to `trade_updates`, and then receives every order event in order, as
/// binary frames like Alpaca's, starting from the moment it listens.
struct TradeUpdateStream: Sendable {
    let exchange: LocalExchange
    /// How often the log of updates is checked for new ones.
    let pollNanoseconds: UInt64 = 10_000_000

    func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
        guard let first = try await messages.next() else { return }
        guard let keys = Self.credentials(in: first), keys == exchange.credentials else {
            try await send(["stream": "authorization", "data": ["status": "unauthorized", "action": "authenticate"]], outbound)
            return
        }
        try await send(["stream": "authorization", "data": ["status": "authorized", "action": "authenticate"]], outbound)
        let listening = ListeningState()
        let pollNanoseconds = self.pollNanoseconds
        let exchange = self.exchange
        let sender = await StreamPump.start(exchange, outbound, pollNanoseconds: pollNanoseconds) {
            guard let cursor = await listening.cursor else { return }
            let updates = await exchange.tradeUpdates(after: cursor)
            for update in updates { try await outbound.write(.binary(ByteBuffer(bytes: update))) }
            await listening.advance(by: updates.count)
        }
        defer { sender.cancel() }
        // The client's further messages: listen requests (an empty list stops the updates). When the
        // client goes away the loop ends and so does the sender.
        while let message = try await messages.next() {
            guard let streams = Self.listenRequest(in: message) else { continue }
            await listening.set(streams.contains("trade_updates"), from: await exchange.tradeUpdateCount)
            try await send(["stream": "listening", "data": ["streams": streams.filter { $0 == "trade_updates" }]], outbound)
        }
    }

    private func send(_ object: [String: Any], _ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.binary(ByteBuffer(bytes: ExchangeDocuments.json(object))))
    }

    /// The key pair of an `auth` or `authenticate` message.
    static func credentials(in message: WebSocketMessage) -> AlpacaCredentials? {
        guard let object = message.jsonObject else { return nil }
        switch object["action"] as? String {
        case "auth":
            guard let key = object["key"] as? String, let secret = object["secret"] as? String else { return nil }
            return AlpacaCredentials(keyID: key, secret: secret)
        case "authenticate":
            let data = object["data"] as? [String: Any]
            guard let key = data?["key_id"] as? String, let secret = data?["secret_key"] as? String else { return nil }
            return AlpacaCredentials(keyID: key, secret: secret)
        default:
            return nil
        }
    }

    /// The stream names of a `listen` message.
    static func listenRequest(in message: WebSocketMessage) -> [String]? {
        guard let object = message.jsonObject, object["action"] as? String == "listen" else { return nil }
        return (object["data"] as? [String: Any])?["streams"] as? [String] ?? []
    }
}

/// Whether a stream client listens, and how far into the update log it has been sent.
private actor ListeningState {
    private(set) var cursor: Int?

    func set(_ listening: Bool, from start: Int) {
        if listening { cursor = cursor ?? start } else { cursor = nil }
    }

    func advance(by count: Int) {
        if let current = cursor { cursor = current + count }
    }
}
