/// Client-side rate limiting: a token bucket of `limit` requests per `window` seconds (Alpaca allows
/// 200 per minute by default), tightened by the server's own `X-Ratelimit-Remaining` and
/// `X-Ratelimit-Reset` headers when they say less is left. Times are seconds on any monotonic scale
/// the caller chooses, which keeps this testable without sleeping.
public struct RequestBudget: Sendable, Equatable {
    public let limit: Int
    public let window: Double
    private var tokens: Double
    private var updatedAt: Double
    /// No request before this time: the server said the budget is spent until its reset.
    private var blockedUntil: Double = -.infinity

    public init(limit: Int = 200, window: Double = 60, now: Double = 0) {
        precondition(limit > 0 && window > 0)
        self.limit = limit
        self.window = window
        self.tokens = Double(limit)
        self.updatedAt = now
    }

    /// Takes one request's token and returns how long to wait before sending it (0 when none).
    public mutating func reserve(now: Double) -> Double {
        refill(now)
        tokens -= 1
        let bucketWait = tokens >= 0 ? 0 : -tokens * window / Double(limit)
        return max(bucketWait, blockedUntil - now, 0)
    }

    /// Reads the server's rate-limit headers (names lower-cased). `reset` is Unix seconds; `unixNow`
    /// is the current Unix time, used to turn it into a wait on the caller's scale.
    public mutating func observe(headers: [String: String], now: Double, unixNow: Double) {
        guard let remaining = headers["x-ratelimit-remaining"].flatMap(Int.init) else { return }
        refill(now)
        tokens = min(tokens, Double(remaining))
        if remaining <= 0, let reset = headers["x-ratelimit-reset"].flatMap(Double.init) {
            blockedUntil = max(blockedUntil, now + max(reset - unixNow, 0))
        }
    }

    private mutating func refill(_ now: Double) {
        let elapsed = max(now - updatedAt, 0)
        tokens = min(Double(limit), tokens + elapsed * Double(limit) / window)
        updatedAt = now
    }
}
