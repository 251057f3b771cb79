import Synchronization

/// Fans the bots' events out to every watcher (the API's WebSocket clients), each through a bounded
/// buffer of its own. Publishing never waits: a watcher whose buffer is full is dropped (its stream
/// ends) rather than slowing a bot.
public final class TelemetryHub: Sendable {
    public let capacity: Int
    private let state = Mutex<(next: Int, clients: [Int: AsyncStream<String>.Continuation], dropped: Int)>((0, [:], 0))
    private let observers = Mutex<[@Sendable (TelemetryEvent) -> Void]>([])

    /// `capacity`: messages a watcher may fall behind by before it is dropped.
    public init(capacity: Int = 1_024) {
        self.capacity = capacity
    }

    /// A new watcher's messages, from now on; the stream ends when the watcher is dropped or leaves.
    public func subscribe() -> (id: Int, messages: AsyncStream<String>) {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingOldest(capacity))
        let id = state.withLock { value in
            value.next += 1
            value.clients[value.next] = continuation
            return value.next
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    public func unsubscribe(_ id: Int) {
        let continuation = state.withLock { $0.clients.removeValue(forKey: id) }
        continuation?.finish()
    }

    /// Calls `observer` with every event, inline on the publisher's thread: for cheap bookkeeping
    /// that must see every event (metrics), never for anything that may wait.
    public func observe(_ observer: @escaping @Sendable (TelemetryEvent) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    public func publish(_ event: TelemetryEvent) {
        for observer in observers.withLock({ $0 }) { observer(event) }
        let clients = state.withLock { $0.clients }
        guard !clients.isEmpty else { return }
        let message = event.json
        for (id, continuation) in clients {
            if case .dropped = continuation.yield(message) {
                state.withLock {
                    $0.clients[id] = nil
                    $0.dropped += 1
                }
                continuation.finish()
            }
        }
    }

    public var watchers: Int { state.withLock { $0.clients.count } }
    /// Watchers dropped for falling `capacity` messages behind.
    public var droppedWatchers: Int { state.withLock { $0.dropped } }
}
