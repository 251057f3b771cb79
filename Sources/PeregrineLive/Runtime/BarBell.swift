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
        /// The running wait's time limit, canceled when the bell rings first: a stepped bot waits once a
        /// bar, and a limit left sleeping after each would keep a task alive per bar for `seconds`.
        var timer: Task<Void, Never>?
        /// Time limits started and ended since the bell was made: none is left sleeping once waits end.
        var timersStarted = 0
        var timersEnded = 0
    }

    private let state = Mutex(State())

    func ring() {
        let (waiter, timer) = state.withLock { state -> (CheckedContinuation<Void, Never>?, Task<Void, Never>?) in
            state.rung += 1
            state.total += 1
            defer { state.waiter = nil; state.timer = nil }
            return (state.waiter, state.timer)
        }
        timer?.cancel()
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
                state.timersStarted += 1
                return state.generation
            }
            guard let generation else { return continuation.resume() }
            let timer = Task { [self] in
                try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
                let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    state.timersEnded += 1
                    guard state.generation == generation else { return nil }
                    defer { state.waiter = nil; state.timer = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
            // Kept for `ring` to cancel, unless the bell rang between the two locks.
            let rang = state.withLock { state -> Bool in
                guard state.generation == generation, state.waiter != nil else { return true }
                state.timer = timer
                return false
            }
            if rang { timer.cancel() }
        }
    }

    /// Time limits still sleeping: none once every wait has ended.
    var timersRunning: Int { state.withLock { $0.timersStarted - $0.timersEnded } }
}
