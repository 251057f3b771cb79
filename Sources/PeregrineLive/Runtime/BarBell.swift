import Synchronization

/// Rung by the market-data stream when a bar is published; the session's wait for the next poll
/// ends at once, and the session reads the new bars over REST.
final class BarBell: Sendable {
    private let rung = Mutex(0)

    func ring() { rung.withLock { $0 += 1 } }

    /// Forgets the rings so far (the session is about to read every bar published until now).
    func clear() { rung.withLock { $0 = 0 } }

    var pending: Bool { rung.withLock { $0 > 0 } }
}
