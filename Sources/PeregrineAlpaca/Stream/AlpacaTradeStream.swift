import Foundation
import HummingbirdWSClient
import NIOCore
import PeregrineCore

/// Alpaca's trading stream (`/stream`, `trade_updates`) with the care a trading loop needs: it
/// authenticates, listens, reports every update in order, and when the connection drops it says so
/// at once and reconnects after a capped exponential backoff with full jitter, listening again.
/// Whoever consumes it pauses orders while it is down and catches up over REST once it is back.
/// One connection at a time: `run` does not return until cancelled or refused.
public struct AlpacaTradeStream: Sendable {
    public enum Event: Sendable, Equatable {
        /// Authenticated and listening.
        case connected
        case update(AlpacaTradeUpdate)
        /// The connection ended; a reconnect follows after `retryIn` seconds.
        case disconnected(reason: String, retryIn: Double)
    }

    public let url: String
    private let credentials: AlpacaCredentials
    private let retry: RetryPolicy
    private let seed: UInt64

    public init(environment: AlpacaEnvironment, credentials: AlpacaCredentials,
                retry: RetryPolicy = RetryPolicy(maxAttempts: .max, baseDelay: 1, maxDelay: 30), seed: UInt64 = 0) {
        var base = environment.tradingBaseURL
        if base.hasPrefix("https://") { base = "wss://" + base.dropFirst("https://".count) }
        if base.hasPrefix("http://") { base = "ws://" + base.dropFirst("http://".count) }
        url = base + "/stream"
        self.credentials = credentials
        self.retry = retry
        self.seed = seed
    }

    /// Connects and reconnects until the task is cancelled; throws only when the keys are refused.
    public func run(_ report: @escaping @Sendable (Event) async -> Void) async throws {
        let credentials = self.credentials
        try await ReconnectingWebSocket.run(url: url, retry: retry, seed: seed, label: "peregrine-trade-stream",
                                            conversation: { StreamSession(credentials: credentials, report: report) },
                                            disconnected: { await report(.disconnected(reason: $0, retryIn: $1)) })
    }
}

/// The keys were refused by the stream: reconnecting would not help.
public struct AlpacaStreamRefused: Error, CustomStringConvertible {
    public let description: String
}

/// One connection's conversation: authenticate, listen, then updates.
private actor StreamSession: StreamConversation {
    let credentials: AlpacaCredentials
    let report: @Sendable (AlpacaTradeStream.Event) async -> Void
    private(set) var reachedService = false
    let closeReason: String? = nil

    init(credentials: AlpacaCredentials, report: @escaping @Sendable (AlpacaTradeStream.Event) async -> Void) {
        self.credentials = credentials
        self.report = report
    }

    nonisolated func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let auth = try JSONSerialization.data(withJSONObject: ["action": "auth", "key": credentials.keyID,
                                                               "secret": credentials.secret])
        try await outbound.write(.text(String(decoding: auth, as: UTF8.self)))
        var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
        guard let first = try await messages.next() else { return }
        let status = ((first.jsonObject?["data"] as? [String: Any])?["status"] as? String) ?? ""
        guard status == "authorized" else { throw AlpacaStreamRefused(description: "the trading stream refused the keys (\(status))") }
        try await outbound.write(.text(#"{"action":"listen","data":{"streams":["trade_updates"]}}"#))
        while let message = try await messages.next() {
            guard let object = message.jsonObject else { continue }
            switch object["stream"] as? String {
            case "listening":
                await markListening()
                await report(.connected)
            case "trade_updates":
                // An mleg option order has no symbol or side of its own, so `AlpacaTradeUpdate` cannot carry
                // it: it is passed over rather than failing the stream (the trading runtime asks about its
                // option orders over REST every turn).
                if ((object["data"] as? [String: Any])?["order"] as? [String: Any])?["order_class"] as? String == "mleg" { continue }
                await report(.update(try AlpacaTradeUpdate.decodeMessage(message.payload)))
            default:
                continue
            }
        }
    }

    private func markListening() { reachedService = true }
}
