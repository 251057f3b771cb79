import Synchronization

/// Rung by the market-data stream when a bar is published; the session's wait for the next poll
/// ends at once, and the session reads the new bars over REST. A stepped simulation waits on it
/// for the bar of the step it just made, without polling.
final class BarBell: Sendable {
    private struct State {
        var rung = 0
        var total = 0
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
    }

    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.rung += 1
            state.total += 1
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Forgets the rings so far (the session is about to read every bar published until now).
    func clear() { state.withLock { $0.rung = 0 } }

    var pending: Bool { state.withLock { $0.rung > 0 } }

    /// Every ring since the bell was made: the bars the stream brought for the session's symbols.
    var total: Int { state.withLock { $0.total } }

    /// Returns once the bell has rung since the last `clear`, or after `seconds` at most.
    func wait(seconds: Double) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let generation: Int? = state.withLock { state in
                guard state.rung == 0 else { return nil }
                state.waiter = continuation
                state.generation += 1
                return state.generation
            }
            guard let generation else { return continuation.resume() }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard state.generation == generation else { return nil }
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
        }
    }
}
