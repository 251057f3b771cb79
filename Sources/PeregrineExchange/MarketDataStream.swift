import Foundation
import HummingbirdWebSocket
import NIOCore
import PeregrineAlpaca
import PeregrineCore

/// Alpaca's market-data streams on the local exchange: stocks at `ws://…/v2/iex` (or `/v2/sip`,
/// `/v2/test`), crypto pairs at `ws://…/v1beta3/crypto/us`. `connected`, then the client's `auth`
/// (`authenticated`, or error 402 and the connection closed; 406 when the key's one connection to
/// this endpoint is already open), then `subscribe`/`unsubscribe` of `bars`, `quotes` and `trades`
/// by symbol (or `*`), answered with the subscription; from then on, for every bar replayed of a
/// subscribed symbol, in replay order: its trade (`t`), its quote (`q`) and the bar (`b`), as
/// `BarTape` derives them. A symbol of the other asset class is refused with error 410 naming the
/// endpoint that serves it. Messages are arrays, as Alpaca's: JSON text frames, or MessagePack
/// binary frames when the client asked for `Content-Type: application/msgpack` (alpaca-py does).
struct MarketDataStream: Sendable {
    let exchange: LocalExchange
    let msgpack: Bool
    /// The endpoint's name for the one-connection-per-key rule (`iex`, `crypto/us`).
    let endpoint: String
    /// Whether this endpoint serves crypto pairs (otherwise stocks).
    let crypto: Bool
    let pollNanoseconds: UInt64 = 10_000_000

    func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let exchange = self.exchange, pollNanoseconds = self.pollNanoseconds, stream = self, endpoint = self.endpoint
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
        guard await exchange.openMarketDataConnection(endpoint: endpoint) else {
            try await send([error(406, "connection limit exceeded")], outbound)
            return
        }
        defer { Task { await exchange.closeMarketDataConnection(endpoint: endpoint) } }
        try await send([control("success", msg: "authenticated")], outbound)
        let subscription = Subscription()
        let sender = await StreamPump.start(exchange, outbound, pollNanoseconds: pollNanoseconds) {
            guard let cursor = await subscription.cursor else { return }
            let bars = await exchange.replayedBars(after: cursor)
            let wanted = await subscription.channels
            let items = bars.filter { ($0.instrument.assetClass == .crypto) == stream.crypto }.flatMap { stream.messages(for: $0, wanted) }
            for chunk in stride(from: 0, to: items.count, by: 500) {
                try await stream.send(Array(items[chunk..<min(chunk + 500, items.count)]), outbound)
            }
            await subscription.advance(by: bars.count)
        }
        defer { sender.cancel() }
        while let message = try await messages.next() {
            guard let request = decode(message), let action = request["action"]?.string, action == "subscribe" || action == "unsubscribe" else {
                try await send([error(400, "invalid syntax")], outbound)
                continue
            }
            var names = Channels()
            for channel in Channels.Name.allCases {
                names[channel] = (request[channel.rawValue]?.array ?? []).compactMap(\.string)
            }
            if let misplaced = await misplacedSymbol(names) {
                try await send([error(410, "invalid subscribe action for this feed: \(misplaced)")], outbound)
                continue
            }
            let now = await exchange.replayedBarCount
            let subscribed = await subscription.change(adding: action == "subscribe", names, at: now)
            func list(_ channel: Channels.Name) -> MessagePackValue { .array(subscribed[channel].sorted().map { .string($0) }) }
            try await send([.map([("T", .string("subscription")), ("trades", list(.trades)), ("quotes", list(.quotes)),
                                  ("bars", list(.bars)), ("updatedBars", .array([])), ("dailyBars", .array([]))])], outbound)
        }
    }

    /// A subscribed symbol the exchange trades in the other asset class than this endpoint serves, described.
    private func misplacedSymbol(_ names: Channels) async -> String? {
        for symbol in Set(Channels.Name.allCases.flatMap { names[$0] }).sorted() where symbol != "*" {
            guard let instrument = await exchange.instrument(symbol: symbol) else { continue }
            if (instrument.assetClass == .crypto) != crypto {
                return crypto ? "\(symbol) is not a crypto pair (its stream is /v2/iex)" : "\(symbol) is a crypto pair (its stream is /v1beta3/crypto/us)"
            }
        }
        return nil
    }

    private func control(_ type: String, msg: String) -> MessagePackValue { .map([("T", .string(type)), ("msg", .string(msg))]) }

    private func error(_ code: Int64, _ message: String) -> MessagePackValue {
        .map([("T", .string("error")), ("code", .int(code)), ("msg", .string(message))])
    }

    /// What a replayed bar of a subscribed symbol becomes: its trade, its quote, the bar, each if wanted.
    func messages(for replayed: ReplayedBar, _ wanted: Channels) -> [MessagePackValue] {
        var items: [MessagePackValue] = []
        if wanted.contains(replayed.symbol, in: .trades) { items.append(tradeMessage(replayed.symbol, replayed.trade)) }
        if wanted.contains(replayed.symbol, in: .quotes) { items.append(quoteMessage(replayed.symbol, replayed.quote)) }
        if wanted.contains(replayed.symbol, in: .bars) { items.append(barMessage(replayed.symbol, replayed.bar)) }
        return items
    }

    func barMessage(_ symbol: String, _ bar: Bar) -> MessagePackValue {
        .map([("T", .string("b")), ("S", .string(symbol)), ("o", .double(bar.open.doubleValue)), ("h", .double(bar.high.doubleValue)),
              ("l", .double(bar.low.doubleValue)), ("c", .double(bar.close.doubleValue)), ("v", .double(bar.volume.doubleValue)),
              ("t", .timestamp(bar.timestamp)), ("n", .int(0)), ("vw", .double(bar.close.doubleValue))])
    }

    func quoteMessage(_ symbol: String, _ quote: Quote) -> MessagePackValue {
        var fields: [(String, MessagePackValue)] = [
            ("T", .string("q")), ("S", .string(symbol)), ("bp", .double(quote.bidPrice.doubleValue)),
            ("bs", .double(quote.bidSize.doubleValue)), ("ap", .double(quote.askPrice.doubleValue)),
            ("as", .double(quote.askSize.doubleValue)), ("t", .timestamp(quote.timestamp)),
        ]
        if let venue = quote.bidExchange { fields.append(("bx", .string(venue))) }
        if let venue = quote.askExchange { fields.append(("ax", .string(venue))) }
        if !quote.conditions.isEmpty { fields.append(("c", .array(quote.conditions.map { .string($0) }))) }
        if let tape = quote.tape { fields.append(("z", .string(tape))) }
        return .map(fields)
    }

    func tradeMessage(_ symbol: String, _ trade: Trade) -> MessagePackValue {
        var fields: [(String, MessagePackValue)] = [
            ("T", .string("t")), ("S", .string(symbol)), ("p", .double(trade.price.doubleValue)),
            ("s", .double(trade.size.doubleValue)), ("t", .timestamp(trade.timestamp)),
        ]
        if let id = trade.id { fields.append(("i", .int(Int64(clamping: id)))) }
        if let venue = trade.exchange { fields.append(("x", .string(venue))) }
        if !trade.conditions.isEmpty { fields.append(("c", .array(trade.conditions.map { .string($0) }))) }
        if let tape = trade.tape { fields.append(("z", .string(tape))) }
        if let side = trade.takerSide { fields.append(("tks", .string(side == .buy ? "B" : "S"))) }
        return .map(fields)
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

    /// The value as Foundation objects for JSON, timestamps in RFC 3339 as Alpaca writes them and
    /// numbers as the shortest decimal text that reads back as the same double.
    static func foundationValue(_ value: MessagePackValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .int(let n): return n
        case .double(let x): return x.isFinite ? NSDecimalNumber(string: "\(x)") : NSNull()
        case .string(let text): return text
        case .array(let items): return items.map(foundationValue)
        case .map(let entries): return Dictionary(entries.map { ($0.0, foundationValue($0.1)) }, uniquingKeysWith: { $1 })
        case .timestamp(let time): return time.iso8601
        }
    }
}

/// Symbols per channel (bars, quotes, trades), `*` standing for every symbol.
struct Channels: Sendable {
    enum Name: String, CaseIterable, Sendable { case bars, quotes, trades }
    private var symbols: [Name: Set<String>] = [:]

    subscript(channel: Name) -> [String] {
        get { Array(symbols[channel] ?? []) }
        set { symbols[channel] = Set(newValue) }
    }

    func contains(_ symbol: String, in channel: Name) -> Bool {
        guard let names = symbols[channel] else { return false }
        return names.contains("*") || names.contains(symbol)
    }

    var isEmpty: Bool { symbols.values.allSatisfy(\.isEmpty) }

    mutating func change(adding: Bool, _ names: Channels) {
        for channel in Name.allCases {
            let given = Set(names[channel])
            if adding { symbols[channel, default: []].formUnion(given) } else { symbols[channel, default: []].subtract(given) }
        }
    }
}

/// What a market-data client subscribed to and how far into the bar log it has been sent.
private actor Subscription {
    private(set) var channels = Channels()
    private(set) var cursor: Int?

    func change(adding: Bool, _ names: Channels, at now: Int) -> Channels {
        channels.change(adding: adding, names)
        if channels.isEmpty { cursor = nil } else if cursor == nil { cursor = now }
        return channels
    }

    func advance(by count: Int) {
        if let current = cursor { cursor = current + count }
    }
}
