/// When to try a request again and how long to wait: capped exponential backoff with full jitter,
/// so many clients recovering at once do not hammer the server in step. Only 429, 5xx and
/// no-response failures are retried; a 4xx is the caller's mistake and is reported at once.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    /// The wait after failed attempt `attempt` (1-based), given a jitter draw in [0, 1).
    /// A `Retry-After` from the server is a floor.
    public func delay(afterAttempt attempt: Int, jitter: Double, retryAfter: Double? = nil) -> Double {
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 30)))
        return max(ceiling * min(max(jitter, 0), 1), retryAfter ?? 0)
    }
}
