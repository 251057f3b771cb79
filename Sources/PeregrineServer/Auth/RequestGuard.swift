import Synchronization

/// Lets a request through or says why not: a bearer token on everything but the public routes, an
/// `Origin` that is this server (or none) on anything that changes state, and a client that keeps
/// failing is refused for a while before its token is even looked at. Failures are reported to `log`
/// with the client and the reason, never the token sent.
public final class RequestGuard: Sendable {
    private let token: [UInt8]
    private let log: @Sendable (String) -> Void
    private let failures = Mutex<[String: [Double]]>([:])
    /// At most this many failed attempts per client within `window` seconds; then 429 until they age out.
    let allowedFailures: Int
    let window: Double
    private let now: @Sendable () -> Double

    public init(token: String, allowedFailures: Int = 10, window: Double = 60, log: @escaping @Sendable (String) -> Void,
                now: (@Sendable () -> Double)? = nil) {
        self.token = Array(token.utf8)
        self.allowedFailures = allowedFailures
        self.window = window
        self.log = log
        self.now = now ?? { ContinuousClock.now.secondsSinceStart }
    }

    /// Throws the refusal for a request that may not proceed.
    func check(_ request: APIRequest, mutating: Bool) throws(APIError) {
        let time = now()
        let recent = failures.withLock { table in
            table[request.client] = (table[request.client] ?? []).filter { time - $0 < window }
            return table[request.client]!.count
        }
        guard recent < allowedFailures else {
            throw APIError(.tooManyRequests, "too many failed attempts from this client; wait \(Int(window)) seconds")
        }
        guard let header = request.headers["authorization"] else {
            throw fail(request, time, APIError(.unauthorized, "this endpoint needs 'Authorization: Bearer <token>'"), why: "no token")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", Self.constantTimeEqual(Array(parts[1].utf8), token) else {
            throw fail(request, time, APIError(.unauthorized, "the bearer token is wrong"), why: "wrong token")
        }
        if mutating, let origin = request.headers["origin"], !Self.sameOrigin(origin, host: request.headers["host"]) {
            log("api [\(request.requestID)]: refused \(request.method) \(request.path) from \(request.client): foreign origin \(origin.prefix(100))")
            throw APIError(.forbidden, "requests that change state must come from this server's own pages (origin \(origin.prefix(100)) is not)")
        }
    }

    private func fail(_ request: APIRequest, _ time: Double, _ error: APIError, why: String) -> APIError {
        failures.withLock { $0[request.client, default: []].append(time) }
        log("api [\(request.requestID)]: auth failed for \(request.method) \(request.path) from \(request.client): \(why)")
        return error
    }

    /// `http(s)://host[:port]` equal to the request's own `Host`.
    static func sameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }

    /// Compares without stopping at the first difference, so timing does not reveal a prefix of the token.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}

extension ContinuousClock.Instant {
    /// Seconds since an arbitrary fixed start, for measuring intervals.
    var secondsSinceStart: Double {
        let components = (self - ContinuousClock.Instant.processStart).components
        return Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    static let processStart = ContinuousClock.now
}
