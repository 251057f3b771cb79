import PeregrineAlpaca
import Synchronization

/// One market-data stream per endpoint for every bot of a key in one process (`peregrine run`), as
/// Alpaca allows one connection per key and endpoint: stocks on the feed named, crypto pairs (a
/// symbol with a `/`) on the crypto stream, subscribed to the bars of every bot's symbols. Each bar
/// wakes the bots that hold its symbol; the bars themselves are read over REST, so a message lost
/// while the stream is down loses no bar.
public final class SharedMarketDataStream: Sendable {
    private let streams: [AlpacaMarketDataStream]
    private let bots: Int
    private struct Listener {
        let symbols: Set<String>
        let bell: BarBell
    }
    private let state = Mutex<(subscribed: Set<Int>, next: Int, listeners: [Int: Listener])>(([], 0, [:]))

    /// `symbols`: every symbol of the `bots` bots that listen.
    public init(environment: AlpacaEnvironment, feed: String, symbols: [String], bots: Int, credentials: AlpacaCredentials) {
        let crypto = symbols.filter { $0.contains("/") }
        let stocks = symbols.filter { !$0.contains("/") }
        streams = [(AlpacaMarketDataStream.Endpoint.stocks(feed: feed), stocks), (.crypto, crypto)].filter { !$0.1.isEmpty }.map {
            AlpacaMarketDataStream(environment: environment, endpoint: $0.0, bars: $0.1, credentials: credentials)
        }
        self.bots = bots
    }

    /// Whether every connection is up and subscribed.
    public var isSubscribed: Bool { state.withLock { $0.subscribed.count == streams.count } }

    /// Rings `bell` for each bar of `symbols`; the answer removes it again (`leave`).
    func join(symbols: Set<String>, bell: BarBell) -> Int {
        state.withLock { state in
            state.next += 1
            state.listeners[state.next] = Listener(symbols: symbols, bell: bell)
            return state.next
        }
    }

    func leave(_ id: Int) {
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }

    /// Runs every connection, reconnecting as each does, until cancelled; `log` hears when one is
    /// subscribed or goes down.
    public func run(log: @escaping @Sendable (String) -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, stream) in streams.enumerated() {
                group.addTask { [self] in
                    try await stream.run { event in self.receive(event, from: index, log: log) }
                }
            }
            try await group.waitForAll()
        }
    }

    private func receive(_ event: AlpacaMarketDataStream.Event, from index: Int, log: @Sendable (String) -> Void) {
        switch event {
        case .bar(let symbol, _):
            let bells = state.withLock { $0.listeners.values.filter { $0.symbols.contains(symbol) }.map(\.bell) }
            for bell in bells { bell.ring() }
        case .subscribed(let bars, _, _):
            state.withLock { _ = $0.subscribed.insert(index) }
            log("bar stream: one connection to \(streams[index].url), subscribed to \(bars.joined(separator: ", ")) for \(bots) bot(s)")
        case .disconnected(let why, let wait):
            state.withLock { _ = $0.subscribed.remove(index) }
            log("bar stream down (\(why)); the bots poll until it is back in \(String(format: "%.1f", wait)) s")
        case .malformed(let error):
            log("bar stream: \(error)")
        case .quote, .trade:
            break
        }
    }
}
