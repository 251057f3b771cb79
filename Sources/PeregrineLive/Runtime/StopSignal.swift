import Synchronization

/// A request to stop trading (SIGINT, SIGTERM, or a test), checked between bars. Waiting for the
/// next poll wakes early when it is set, so shutdown is prompt.
public final class StopSignal: Sendable {
    private let requested = Mutex(false)

    public init() {}

    public func request() { requested.withLock { $0 = true } }

    public var isRequested: Bool { requested.withLock { $0 } }

    /// Sleeps up to `seconds`, in short slices, returning early once a stop is requested or `wake`
    /// says so.
    public func sleep(seconds: Double, wake: (@Sendable () -> Bool)? = nil) async {
        var left = seconds
        while left > 0, !isRequested, !(wake?() ?? false) {
            let slice = min(left, 0.1)
            try? await Task.sleep(nanoseconds: UInt64(slice * 1e9))
            left -= slice
        }
    }
}
