import Foundation
import HummingbirdWebSocket
import NIOCore
import PeregrineAlpaca
import PeregrineCore

/// Alpaca's market-data stream on the local exchange (`ws://…/v2/iex`, `/v2/sip`): `connected`, then
/// the client's `auth` (`authenticated`, or error 402 and the connection closed; 406 when the key's
/// one connection is already open), then `subscribe`/`unsubscribe` of bars by symbol (or `*`),
/// answered with the subscription, then every bar replayed from then on for the symbols subscribed.
/// Messages are arrays, as Alpaca's: JSON text frames, or MessagePack binary frames when the client
/// asked for `Content-Type: application/msgpack` (alpaca-py does). The exchange replays bars only:
/// trades and quotes are never subscribed.
struct MarketDataStream: Sendable {
    let exchange: LocalExchange
    let msgpack: Bool
    let pollNanoseconds: UInt64 = 10_000_000

    func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let exchange = self.exchange, pollNanoseconds = self.pollNanoseconds, stream = self
        var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
        try await send([control("success", msg: "connected")], outbound)
        guard let first = try await messages.next(), let auth = decode(first), auth["action"]?.string == "auth" else {
            try await send([error(401, "not authenticated")], outbound)
            return
        }
        guard let key = auth["key"]?.string, let secret = auth["secret"]?.string, exchange.credentials.matches(keyID: key, secret: secret) else {
            try await send([error(402, "auth failed")], outbound)
            return
        }
        guard await exchange.openMarketDataConnection() else {
            try await send([error(406, "connection limit exceeded")], outbound)
            return
        }
        defer { Task { await exchange.closeMarketDataConnection() } }
        try await send([control("success", msg: "authenticated")], outbound)
        let subscription = Subscription()
        let sender = await StreamPump.start(exchange, outbound, pollNanoseconds: pollNanoseconds) {
            guard let cursor = await subscription.cursor else { return }
            let bars = await exchange.replayedBars(after: cursor)
            let wanted = await subscription.symbols
            let chosen = bars.filter { wanted.contains("*") || wanted.contains($0.symbol) }
            for chunk in stride(from: 0, to: chosen.count, by: 500) {
                try await stream.send(chosen[chunk..<min(chunk + 500, chosen.count)].map(stream.barMessage), outbound)
            }
            await subscription.advance(by: bars.count)
        }
        defer { sender.cancel() }
        while let message = try await messages.next() {
            guard let request = decode(message), let action = request["action"]?.string, action == "subscribe" || action == "unsubscribe" else {
                try await send([error(400, "invalid syntax")], outbound)
                continue
            }
            let symbols = (request["bars"]?.array ?? []).compactMap(\.string)
            let now = await exchange.replayedBarCount
            let subscribed = await subscription.change(adding: action == "subscribe", symbols, at: now)
            try await send([.map([("T", .string("subscription")), ("trades", .array([])), ("quotes", .array([])),
                                  ("bars", .array(subscribed.map { .string($0) })), ("updatedBars", .array([])),
                                  ("dailyBars", .array([]))])], outbound)
        }
    }

    private func control(_ type: String, msg: String) -> MessagePackValue { .map([("T", .string(type)), ("msg", .string(msg))]) }

    private func error(_ code: Int64, _ message: String) -> MessagePackValue {
        .map([("T", .string("error")), ("code", .int(code)), ("msg", .string(message))])
    }

    func barMessage(_ item: (symbol: String, bar: Bar)) -> MessagePackValue {
        let bar = item.bar
        return .map([("T", .string("b")), ("S", .string(item.symbol)), ("o", .double(bar.open.doubleValue)), ("h", .double(bar.high.doubleValue)),
                     ("l", .double(bar.low.doubleValue)), ("c", .double(bar.close.doubleValue)), ("v", .double(bar.volume.doubleValue)),
                     ("t", .timestamp(bar.timestamp)), ("n", .int(0)), ("vw", .double(bar.close.doubleValue))])
    }

    /// A client message, in whichever encoding it came.
    private func decode(_ message: WebSocketMessage) -> MessagePackValue? {
        if case .binary(let buffer) = message, let value = try? MessagePack.decode(Array(buffer.readableBytesView)) { return value }
        guard let object = message.jsonObject else { return nil }
        return Self.value(object)
    }

    private static func value(_ any: Any) -> MessagePackValue {
        switch any {
        case let text as String: return .string(text)
        case let list as [Any]: return .array(list.map(value))
        case let object as [String: Any]: return .map(object.keys.sorted().map { ($0, value(object[$0]!)) })
        case let number as NSNumber: return .double(number.doubleValue)
        default: return .null
        }
    }

    func send(_ items: [MessagePackValue], _ outbound: WebSocketOutboundWriter) async throws {
        if msgpack {
            try await outbound.write(.binary(ByteBuffer(bytes: MessagePack.encode(.array(items)))))
        } else {
            try await outbound.write(.text(String(decoding: ExchangeDocuments.json(Self.foundationValue(.array(items))), as: UTF8.self)))
        }
    }

    /// The value as Foundation objects for JSON, timestamps in RFC 3339 as Alpaca writes them.
    static func foundationValue(_ value: MessagePackValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .int(let n): return n
        case .double(let x): return x.isFinite ? x as Any : NSNull()
        case .string(let text): return text
        case .array(let items): return items.map(foundationValue)
        case .map(let entries): return Dictionary(entries.map { ($0.0, foundationValue($0.1)) }, uniquingKeysWith: { $1 })
        case .timestamp(let time): return time.iso8601
        }
    }
}

/// The symbols a market-data client subscribed to and how far into the bar log it has been sent.
private actor Subscription {
    private(set) var symbols: Set<String> = []
    private(set) var cursor: Int?

    func change(adding: Bool, _ names: [String], at now: Int) -> [String] {
        if adding { symbols.formUnion(names) } else { symbols.subtract(names) }
        if symbols.isEmpty { cursor = nil } else if cursor == nil { cursor = now }
        return symbols.sorted()
    }

    func advance(by count: Int) {
        if let current = cursor { cursor = current + count }
    }
}
