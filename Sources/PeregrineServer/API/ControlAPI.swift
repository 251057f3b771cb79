import Foundation
import Synchronization
import PeregrineLive
import PeregrineStorage

/// The control plane's REST API under `/api/v1`, as a pure function of a request: route, check,
/// answer. The HTTP server only moves bytes to and from `handle`, so tests drive the API in-process
/// exactly as a client over the network does. Every refusal is JSON `{code, message}`.
public final class ControlAPI: Sendable {
    public static let version = "1.0.0"

    let store: TradingStore
    let plane: any ControlPlane
    let requestGuard: RequestGuard
    let started: Double
    let log: @Sendable (String) -> Void
    /// Pages served beside the API (the dashboard unless others are given), by path; public like any
    /// static page, the data they show comes from the API with the token.
    let pages: [String: APIResponse]
    /// The bots' live events for `/api/v1/ws` (nil: a store served alone, where nothing happens).
    let telemetry: TelemetryHub?
    /// What `/metrics` shows (nil: a store served alone; the answer is empty).
    let metrics: BotMetrics?
    /// The bots' recent bars and fills for `/api/v1/bars` (kept from the telemetry when there is some).
    let market = RecentMarket()
    /// The trading runs' positions, brought up to date from the fills stored since the last request.
    let positionCache = PositionCache()
    /// Actions tools proposed, waiting for a person (`/api/v1/pending`).
    public let pendingActions = PendingActions()

    public init(store: TradingStore, plane: any ControlPlane, requestGuard: RequestGuard, pages: [String: APIResponse]? = nil,
                telemetry: TelemetryHub? = nil, metrics: BotMetrics? = nil, log: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.telemetry = telemetry
        self.metrics = metrics
        if let telemetry { market.observe(telemetry) }
        self.plane = plane
        self.requestGuard = requestGuard
        self.pages = pages ?? DashboardPage.pages
        self.log = log
        started = ContinuousClock.now.secondsSinceStart
    }

    var uptime: Double { ContinuousClock.now.secondsSinceStart - started }

    private let requestCounter = Mutex<Int>(0)

    /// Each route's path template cut into segments once, in the order of `routes`.
    static let routeTemplates = routes.map { APIRoute.segments($0.path) }

    /// The client's `X-Request-Id` when it is a plain token, otherwise one of our own.
    func requestID(for request: APIRequest) -> String {
        if let given = request.headers["x-request-id"], (1...64).contains(given.count),
           given.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            return given
        }
        return "r" + String(requestCounter.withLock { $0 += 1; return $0 })
    }

    /// Answers one request. Never throws: every failure becomes its JSON error. The answer carries
    /// the request's id (`X-Request-Id`), as do the log lines about it.
    public func handle(_ incoming: APIRequest) async -> APIResponse {
        var request = incoming
        request.requestID = requestID(for: incoming)
        var response = await answer(request)
        response.headers["X-Request-Id"] = request.requestID
        return response
    }

    private func answer(_ request: APIRequest) async -> APIResponse {
        if request.method == "GET", let page = pages[request.path] { return page }
        let given = APIRoute.segments(request.path)
        let candidates = zip(Self.routes, Self.routeTemplates).compactMap { route, template in
            APIRoute.match(given, template: template).map { (route, $0) }
        }
        guard !candidates.isEmpty else {
            return APIError(.notFound, "no endpoint \(request.path.prefix(200)); the API is described at /openapi.json").response
        }
        guard let (route, captures) = candidates.first(where: { $0.0.method == request.method }) else {
            var response = APIError(.methodNotAllowed, "\(request.path.prefix(200)) takes "
                                    + candidates.map(\.0.method).joined(separator: ", ") + ", not \(request.method.prefix(20))").response
            response.headers["Allow"] = candidates.map(\.0.method).joined(separator: ", ")
            return response
        }
        do {
            if !route.isPublic && !request.trusted { try requestGuard.check(request, mutating: route.mutating) }
            return try await route.handler(self, request, captures)
        } catch let error as APIError {
            if error.code == .internalError { log("api [\(request.requestID)]: \(request.method) \(request.path) failed: \(error.message)") }
            return error.response
        } catch {
            log("api [\(request.requestID)]: \(request.method) \(request.path) failed: \(error)")
            return APIError(.internalError, "the request failed inside the server; the log says why").response
        }
    }

    /// Whether a WebSocket upgrade to `/api/v1/ws` may proceed: the token as a bearer header, or as
    /// `?token=` (browsers cannot set headers on a WebSocket), checked like any request.
    public func mayWatch(path: String, headers: [String: String], client: String) -> Bool {
        var request = APIRequest(method: "GET", target: path, headers: headers, client: client)
        guard telemetry != nil, request.path == "/api/v1/ws" else { return false }
        if request.headers["authorization"] == nil, let token = request.query["token"] { request.headers["authorization"] = "Bearer \(token)" }
        do { try requestGuard.check(request, mutating: false) } catch { return false }
        return true
    }

    /// Runs a store read, turning a store failure into a 500 that says what failed.
    func read<T>(_ what: String, _ body: () throws -> T) throws(APIError) -> T {
        do { return try body() } catch { throw APIError(.internalError, "reading \(what) from the store failed: \(error)") }
    }

    /// The JSON body of a request, decoded; a body that is not the expected JSON is a 400 saying so.
    func body<Body: Decodable>(_ type: Body.Type, of request: APIRequest, required: Bool) throws(APIError) -> Body? {
        guard !request.body.isEmpty else {
            if required { throw APIError(.badRequest, "this action needs a JSON body") }
            return nil
        }
        guard request.body.count <= 16_384 else { throw APIError(.badRequest, "the body is larger than 16 KiB") }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(Body.self, from: request.body)
        } catch {
            throw APIError(.badRequest, "the body is not the expected JSON object: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): "'\(key.stringValue)' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case .dataCorrupted: "it is not valid JSON"
        default: "\(error)"
        }
    }
}
