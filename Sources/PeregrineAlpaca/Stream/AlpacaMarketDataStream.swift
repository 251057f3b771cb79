import Foundation
import HummingbirdWSClient
import NIOCore
import PeregrineCore

/// Alpaca's market-data stream (`wss://stream.data.alpaca.markets/v2/{feed}`) for minute bars:
/// connect, authenticate, subscribe to the symbols' bars, report each bar; when the connection drops,
/// say so at once and reconnect after a capped exponential backoff with full jitter, authenticating
/// and subscribing again. One connection at a time (Alpaca allows one per key and feed). Messages are
/// JSON arrays; prices are read from their decimal text. Refused keys end it with `AlpacaStreamRefused`.
public struct AlpacaMarketDataStream: Sendable {
    public enum Event: Sendable, Equatable {
        /// Authenticated and subscribed to these symbols' bars.
        case subscribed([String])
        case bar(symbol: String, Bar)
        /// The connection ended; a reconnect follows after `retryIn` seconds.
        case disconnected(reason: String, retryIn: Double)
    }

    public let url: String
    public let symbols: [String]
    private let credentials: AlpacaCredentials
    private let retry: RetryPolicy
    private let seed: UInt64

    public init(environment: AlpacaEnvironment, feed: String = "iex", symbols: [String], credentials: AlpacaCredentials,
                retry: RetryPolicy = RetryPolicy(maxAttempts: .max, baseDelay: 1, maxDelay: 30), seed: UInt64 = 0) {
        url = environment.marketDataStreamURL(feed: feed)
        self.symbols = symbols
        self.credentials = credentials
        self.retry = retry
        self.seed = seed
    }

    /// Connects and reconnects until the task is cancelled; throws only when the keys are refused.
    public func run(_ report: @escaping @Sendable (Event) async -> Void) async throws {
        let credentials = self.credentials, symbols = self.symbols
        try await ReconnectingWebSocket.run(url: url, retry: retry, seed: seed &+ 1, label: "peregrine-market-data",
                                            conversation: { MarketDataSession(credentials: credentials, symbols: symbols, report: report) },
                                            disconnected: { await report(.disconnected(reason: $0, retryIn: $1)) })
    }

    /// One message of the stream: an array of items, each a control message or market data.
    public struct Item: Decodable, Sendable {
        public var T: String
        public var msg: String?
        public var code: Int?
        public var S: String?
        public var bars: [String]?
        var o: Decimal?
        var h: Decimal?
        var l: Decimal?
        var c: Decimal?
        var v: Decimal?
        var t: String?

        /// The bar of a `b` item, exactly as its decimal text says.
        public func bar() throws(AlpacaWireError) -> Bar {
            let read = AlpacaFieldReader(document: "market-data bar \(S ?? "?")")
            func price(_ value: Decimal?, _ name: String) throws(AlpacaWireError) -> Price {
                guard let value, value > 0 else { throw read.fail(name, "missing or not positive") }
                return try read.requiredPrice(value.description, name)
            }
            let bar = Bar(timestamp: try read.requiredTime(t, "t"), open: try price(o, "o"), high: try price(h, "h"), low: try price(l, "l"),
                          close: try price(c, "c"), volume: try read.quantity((v ?? 0).description, "v"))
            guard bar.low <= min(bar.open, bar.close), bar.high >= max(bar.open, bar.close) else {
                throw read.fail("t", "bar at \(t ?? "?") has low/high outside open/close")
            }
            return bar
        }
    }

    public static func decode(_ data: Data) throws -> [Item] { try JSONDecoder().decode([Item].self, from: data) }
}

/// One connection's conversation: connected, auth, subscribe, then bars.
private actor MarketDataSession: StreamConversation {
    let credentials: AlpacaCredentials
    let symbols: [String]
    let report: @Sendable (AlpacaMarketDataStream.Event) async -> Void
    private(set) var reachedService = false
    private(set) var closeReason: String?

    init(credentials: AlpacaCredentials, symbols: [String], report: @escaping @Sendable (AlpacaMarketDataStream.Event) async -> Void) {
        self.credentials = credentials
        self.symbols = symbols
        self.report = report
    }

    nonisolated func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
        while let message = try await messages.next() {
            for item in try AlpacaMarketDataStream.decode(message.payload) {
                switch (item.T, item.msg) {
                case ("success", "connected"):
                    let auth = try JSONSerialization.data(withJSONObject: ["action": "auth", "key": credentials.keyID, "secret": credentials.secret])
                    try await outbound.write(.text(String(decoding: auth, as: UTF8.self)))
                case ("success", "authenticated"):
                    let subscribe = try JSONSerialization.data(withJSONObject: ["action": "subscribe", "bars": symbols])
                    try await outbound.write(.text(String(decoding: subscribe, as: UTF8.self)))
                case ("subscription", _):
                    await markSubscribed()
                    await report(.subscribed(item.bars ?? []))
                case ("b", _):
                    guard let symbol = item.S else { continue }
                    await report(.bar(symbol: symbol, try item.bar()))
                case ("error", _) where item.code == 402 || item.code == 401:
                    throw AlpacaStreamRefused(description: "the market-data stream refused the keys (\(item.code ?? 0) \(item.msg ?? ""))")
                case ("error", _):
                    await note("error \(item.code ?? 0): \(item.msg ?? "")")
                default:
                    continue
                }
            }
        }
    }

    private func markSubscribed() { reachedService = true }
    private func note(_ reason: String) { closeReason = reason }
}
