import PeregrineAlpaca
import Synchronization

/// One trading stream (`trade_updates`) for every bot of an account in one process, as Alpaca allows
/// one per key: each event goes to every bot, and a bot ignores the orders that are not its own (it
/// knows its client order ids). A bot that joins while the stream is up is told it is connected, so it
/// catches up over REST as after any connection.
public final class SharedTradeStream: Sendable {
    let stream: AlpacaTradeStream
    private let state = Mutex<(connected: Bool, next: Int, listeners: [Int: @Sendable (AlpacaTradeStream.Event) async -> Void])>((false, 0, [:]))

    public init(environment: AlpacaEnvironment, credentials: AlpacaCredentials) {
        stream = AlpacaTradeStream(environment: environment, credentials: credentials)
    }

    public var isConnected: Bool { state.withLock { $0.connected } }

    /// Adds a listener; the answer removes it again (`leave`).
    func join(_ listener: @escaping @Sendable (AlpacaTradeStream.Event) async -> Void) -> Int {
        state.withLock { state in
            state.next += 1
            state.listeners[state.next] = listener
            return state.next
        }
    }

    func leave(_ id: Int) {
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }

    /// Runs the stream, reconnecting as it does, until cancelled; `log` hears when it goes up and down.
    public func run(log: @escaping @Sendable (String) -> Void) async throws {
        try await stream.run { [self] event in
            let listeners = self.state.withLock { state in
                switch event {
                case .connected: state.connected = true
                case .disconnected: state.connected = false
                case .update: break
                }
                return Array(state.listeners.values)
            }
            switch event {
            case .connected: log("trading stream: connected, shared by \(listeners.count) bot(s)")
            case .disconnected(let why, let wait): log("trading stream down (\(why)); reconnecting in \(wait) s")
            case .update: break
            }
            for listener in listeners { await listener(event) }
        }
    }
}
