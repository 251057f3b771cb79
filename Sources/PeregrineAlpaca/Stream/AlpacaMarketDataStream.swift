import Foundation
import HummingbirdWSClient
import NIOCore
import PeregrineCore

/// Alpaca's market-data streams, for stocks (`wss://stream.data.alpaca.markets/v2/{feed}`) and
/// crypto (`.../v1beta3/crypto/us`): connect, authenticate, subscribe to the symbols' bars, quotes
/// and trades, report each as it comes; when the connection drops, say so at once and reconnect
/// after a capped exponential backoff with full jitter, authenticating and subscribing again. One
/// connection at a time (Alpaca allows one per key and endpoint). Messages are JSON arrays; prices
/// and sizes are read from their decimal text, times to the nanosecond. A malformed item is reported
/// with its field and skipped; refused keys end the stream with `AlpacaStreamRefused`.
public struct AlpacaMarketDataStream: Sendable {
    /// Which of Alpaca's market-data streams.
    public enum Endpoint: Sendable, Equatable, CustomStringConvertible {
        /// Stocks on a feed: `iex`, `sip` (or `test`).
        case stocks(feed: String)
        /// Crypto pairs (`BTC/USD`) at a location: `us`.
        case crypto(location: String)

        public static let crypto = Endpoint.crypto(location: "us")

        public var description: String {
            switch self {
            case .stocks(let feed): feed
            case .crypto(let location): "crypto/\(location)"
            }
        }
    }

    public enum Event: Sendable, Equatable {
        /// Authenticated and subscribed to these symbols' bars, quotes and trades.
        case subscribed(bars: [String], quotes: [String], trades: [String])
        case bar(symbol: String, Bar)
        case quote(symbol: String, Quote)
        case trade(symbol: String, Trade)
        /// An item that could not be read exactly, with its field and text; the stream goes on.
        case malformed(AlpacaWireError)
        /// The connection ended; a reconnect follows after `retryIn` seconds.
        case disconnected(reason: String, retryIn: Double)
    }

    public let url: String
    public let endpoint: Endpoint
    public let bars: [String]
    public let quotes: [String]
    public let trades: [String]
    private let credentials: AlpacaCredentials
    private let retry: RetryPolicy
    private let seed: UInt64

    public init(environment: AlpacaEnvironment, endpoint: Endpoint = .stocks(feed: "iex"), bars: [String] = [],
                quotes: [String] = [], trades: [String] = [], credentials: AlpacaCredentials,
                retry: RetryPolicy = RetryPolicy(maxAttempts: .max, baseDelay: 1, maxDelay: 30), seed: UInt64 = 0) {
        switch endpoint {
        case .stocks(let feed): url = environment.marketDataStreamURL(feed: feed)
        case .crypto(let location): url = environment.cryptoDataStreamURL(location: location)
        }
        self.endpoint = endpoint
        self.bars = bars
        self.quotes = quotes
        self.trades = trades
        self.credentials = credentials
        self.retry = retry
        self.seed = seed
    }

    /// Connects and reconnects until the task is cancelled; throws only when the keys are refused.
    public func run(_ report: @escaping @Sendable (Event) async -> Void) async throws {
        let credentials = self.credentials
        let subscribe: [String: Any] = ["action": "subscribe", "bars": bars, "quotes": quotes, "trades": trades]
        let request = try JSONSerialization.data(withJSONObject: subscribe, options: [.sortedKeys])
        try await ReconnectingWebSocket.run(url: url, retry: retry, seed: seed &+ 1, label: "peregrine-market-data",
                                            conversation: { MarketDataSession(credentials: credentials, subscribe: request, report: report) },
                                            disconnected: { await report(.disconnected(reason: $0, retryIn: $1)) })
    }
}

/// One connection's conversation: connected, auth, subscribe, then market data.
private actor MarketDataSession: StreamConversation {
    let credentials: AlpacaCredentials
    let subscribe: Data
    let report: @Sendable (AlpacaMarketDataStream.Event) async -> Void
    private(set) var reachedService = false
    private(set) var closeReason: String?

    init(credentials: AlpacaCredentials, subscribe: Data, report: @escaping @Sendable (AlpacaMarketDataStream.Event) async -> Void) {
        self.credentials = credentials
        self.subscribe = subscribe
        self.report = report
    }

    nonisolated func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
        while let message = try await messages.next() {
            let items: [Result<AlpacaMarketDataMessage, AlpacaWireError>]
            do { items = try AlpacaMarketDataMessage.decode(message.payload) } catch {
                await report(.malformed(error))
                continue
            }
            for item in items {
                switch item {
                case .failure(let error):
                    await report(.malformed(error))
                case .success(.success("connected")):
                    let auth = try JSONSerialization.data(withJSONObject: ["action": "auth", "key": credentials.keyID, "secret": credentials.secret])
                    try await outbound.write(.text(String(decoding: auth, as: UTF8.self)))
                case .success(.success("authenticated")):
                    try await outbound.write(.text(String(decoding: subscribe, as: UTF8.self)))
                case .success(.subscription(let bars, let quotes, let trades)):
                    await markSubscribed()
                    await report(.subscribed(bars: bars, quotes: quotes, trades: trades))
                case .success(.bar(let symbol, let bar)):
                    await report(.bar(symbol: symbol, bar))
                case .success(.quote(let symbol, let quote)):
                    await report(.quote(symbol: symbol, quote))
                case .success(.trade(let symbol, let trade)):
                    await report(.trade(symbol: symbol, trade))
                case .success(.error(let code, let text)) where code == 402 || code == 401:
                    throw AlpacaStreamRefused(description: "the market-data stream refused the keys (\(code) \(text))")
                case .success(.error(let code, let text)):
                    await note("error \(code): \(text)")
                case .success(.success), .success(.other):
                    continue
                }
            }
        }
    }

    private func markSubscribed() { reachedService = true }
    private func note(_ reason: String) { closeReason = reason }
}
