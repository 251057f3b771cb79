import Foundation
import PeregrineCore
import PeregrineModels

/// Trading API v2 over any `HTTPTransport`, with the policies a trading system needs: a request
/// budget, retries for idempotent calls only, and order submission that never sends an order twice.
///
/// Submitting is the one non-idempotent call that matters. When a POST gets no clear answer (no
/// response, or a 5xx), the order may exist: the client asks for it by client order id and returns it
/// if it is there, and only re-sends (with the same client order id, which Alpaca refuses to
/// duplicate) when the broker says it has never seen it. A 429 means the request was refused
/// outright, so it is simply sent again after the wait.
public actor AlpacaTradingClient {
    public nonisolated let environment: AlpacaEnvironment
    private let credentials: AlpacaCredentials
    private let transport: any HTTPTransport
    private let retry: RetryPolicy
    private var budget: RequestBudget
    private var generator: SeededGenerator
    private let clock: @Sendable () -> Double
    private let sleep: @Sendable (Double) async -> Void
    /// Every wait the client imposed, in seconds, for inspection.
    public private(set) var waits: [Double] = []

    public init(environment: AlpacaEnvironment, credentials: AlpacaCredentials, transport: any HTTPTransport,
                retry: RetryPolicy = RetryPolicy(), budget: RequestBudget = RequestBudget(), seed: UInt64 = 0,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                sleep: @escaping @Sendable (Double) async -> Void = { seconds in
                    try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1e9))
                }) {
        self.environment = environment
        self.credentials = credentials
        self.transport = transport
        self.retry = retry
        self.budget = budget
        self.generator = SeededGenerator(seed: seed)
        self.clock = clock
        self.sleep = sleep
    }

    // MARK: Endpoints

    public func account() async throws -> AlpacaAccount {
        try AlpacaAccount.decode(await call(.get, "/v2/account").body)
    }

    public func clock() async throws -> AlpacaClock {
        try AlpacaClock.decode(await call(.get, "/v2/clock").body)
    }

    public func positions() async throws -> [AlpacaPosition] {
        try AlpacaPosition.decodeList(await call(.get, "/v2/positions").body)
    }

    /// The order with this client order id, or `nil` when the broker has never seen it.
    public func order(clientOrderID: String) async throws -> AlpacaOrder? {
        let response = try await call(.get, "/v2/orders:by_client_order_id?client_order_id=\(Self.escape(clientOrderID))",
                                      acceptNotFound: true)
        return response.status == 404 ? nil : try AlpacaOrder.decode(response.body)
    }

    /// The `mleg` option order with this client order id, or `nil` when the broker has never seen it.
    public func multiLegOrder(clientOrderID: String) async throws -> AlpacaMultiLegOrder? {
        let response = try await call(.get, "/v2/orders:by_client_order_id?client_order_id=\(Self.escape(clientOrderID))",
                                      acceptNotFound: true)
        return response.status == 404 ? nil : try AlpacaMultiLegOrder.decode(response.body)
    }

    /// The `mleg` option orders still working at the broker (`openOrders` lists the others).
    public func openMultiLegOrders() async throws -> [AlpacaMultiLegOrder] {
        try AlpacaMultiLegOrder.decodeList(await call(.get, "/v2/orders?status=open&limit=500&nested=true").body)
    }

    /// The account's option activities (exercises, assignments, expiries and the stock trades they
    /// caused), oldest first as Alpaca lists them with `direction=asc`.
    public func optionActivities() async throws -> [AlpacaOptionActivity] {
        let types = AlpacaOptionActivity.optionTypes.joined(separator: ",")
        return try AlpacaOptionActivity.decodeList(await call(.get, "/v2/account/activities?activity_types=\(types)&direction=asc").body)
    }

    /// A symbol's trading attributes (tradable, shortable, fractionable, increments).
    public func asset(_ symbol: String) async throws -> AlpacaAsset {
        try AlpacaAsset.decode(await call(.get, "/v2/assets/\(Self.escape(symbol))").body)
    }

    /// Orders still working at the broker (bracket legs inside their parents).
    public func openOrders() async throws -> [AlpacaOrder] {
        try AlpacaOrder.decodeList(await call(.get, "/v2/orders?status=open&limit=500&nested=true").body)
    }

    public func cancel(orderID: String) async throws {
        _ = try await call(.delete, "/v2/orders/\(Self.escape(orderID))")
    }

    /// Historical bars of one symbol from the market-data API, following `next_page_token` until the
    /// last page. `timeframe` is Alpaca's (`1Min`, `15Min`, `1Hour`, `1Day`); `start` and `end` are
    /// inclusive instants; `feed` (`iex`, `sip`) and `adjustment` (`raw`, `split`, `all`) are passed
    /// through when given. Crypto symbols (with a slash) use the crypto endpoint.
    public func bars(symbol: String, timeframe: String, start: Timestamp, end: Timestamp? = nil, pageLimit: Int = 10_000,
                     feed: String? = nil, adjustment: String? = nil) async throws -> [Bar] {
        let path = Self.isCrypto(symbol) ? "/v1beta3/crypto/us/bars" : "/v2/stocks/bars"
        var bars: [Bar] = []
        var token: String?
        repeat {
            var query = ["symbols=\(Self.escape(symbol))", "timeframe=\(Self.escape(timeframe))", "start=\(start.iso8601)",
                         "limit=\(pageLimit)"]
            if let end { query.append("end=\(end.iso8601)") }
            if let feed { query.append("feed=\(Self.escape(feed))") }
            if let adjustment { query.append("adjustment=\(Self.escape(adjustment))") }
            if let token { query.append("page_token=\(Self.escape(token))") }
            let response = try await call(.get, path + "?" + query.joined(separator: "&"), base: environment.dataBaseURL)
            let page = try AlpacaBarsPage.decode(response.body)
            let rows = page.bars[symbol] ?? []
            if let last = bars.last, let first = rows.first, first.timestamp <= last.timestamp {
                throw AlpacaWireError(document: "bars \(symbol)", field: "t",
                                      problem: "page starts at \(first.timestamp), not after the previous page's \(last.timestamp)")
            }
            bars += rows
            token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return bars
    }

    /// Every option contract the query matches, from `GET /v2/options/contracts`, page after page.
    public func optionContracts(_ query: AlpacaOptionContractsQuery) async throws -> [AlpacaOptionContract] {
        var contracts: [AlpacaOptionContract] = []
        var token: String?
        repeat {
            let items = query.parameters(pageToken: token).map { "\($0.0)=\(Self.escape($0.1))" }
            let page = try AlpacaOptionContractsPage.decode(await call(.get, "/v2/options/contracts?" + items.joined(separator: "&")).body)
            contracts += page.contracts
            token = page.nextPageToken
        } while token != nil
        return contracts
    }

    /// Splits and cash dividends of `symbols` with ex-dates from `start` to `end` (inclusive), from
    /// `GET /v1/corporate-actions` (forward and reverse splits, cash dividends), every page.
    public func corporateActions(symbols: [String], start: CivilDate, end: CivilDate) async throws -> [CorporateAction] {
        var actions: [CorporateAction] = []
        var token: String?
        repeat {
            var query = ["symbols=" + symbols.map(Self.escape).joined(separator: ","), "types=forward_split,reverse_split,cash_dividend",
                         "start=\(start)", "end=\(end)", "limit=1000"]
            if let token { query.append("page_token=\(Self.escape(token))") }
            let page = try AlpacaCorporateActionsPage.decode(
                await call(.get, "/v1/corporate-actions?" + query.joined(separator: "&"), base: environment.dataBaseURL).body)
            actions += page.actions
            token = page.nextPageToken
        } while token != nil
        return actions.sorted { ($0.date, $0.symbol) < ($1.date, $1.symbol) }
    }

    /// The latest quote of a symbol: `GET /v2/stocks/{symbol}/quotes/latest` for a stock, the
    /// crypto endpoint for a pair (`BTC/USD`). `feed` (`iex`, `sip`) is passed through for stocks.
    public func latestQuote(symbol: String, feed: String? = nil) async throws -> Quote {
        if Self.isCrypto(symbol) {
            guard let quote = try await latestQuotes(symbols: [symbol])[symbol] else {
                throw AlpacaWireError(document: "latest quotes", field: "quotes.\(symbol)", problem: "no quote for \(symbol) in the answer")
            }
            return quote
        }
        let path = "/v2/stocks/\(Self.escape(symbol))/quotes/latest" + (feed.map { "?feed=\(Self.escape($0))" } ?? "")
        return try AlpacaLatestQuotes.decodeOne(await call(.get, path, base: environment.dataBaseURL).body).quote
    }

    /// The latest quotes of several symbols in one request per asset class (stocks from
    /// `/v2/stocks/quotes/latest`, pairs from `/v1beta3/crypto/us/latest/quotes`); a symbol the
    /// market-data API has no quote for is absent.
    public func latestQuotes(symbols: [String], feed: String? = nil) async throws -> [String: Quote] {
        var quotes: [String: Quote] = [:]
        for (path, group) in Self.latestPaths(symbols, stocks: "/v2/stocks/quotes/latest", crypto: "/v1beta3/crypto/us/latest/quotes") {
            let query = "?symbols=" + group.map(Self.escape).joined(separator: ",")
                + (feed.map { path.hasPrefix("/v2/") ? "&feed=\(Self.escape($0))" : "" } ?? "")
            quotes.merge(try AlpacaLatestQuotes.decode(await call(.get, path + query, base: environment.dataBaseURL).body)) { $1 }
        }
        return quotes
    }

    /// The latest trade of a symbol: `GET /v2/stocks/{symbol}/trades/latest` for a stock, the crypto
    /// endpoint for a pair.
    public func latestTrade(symbol: String, feed: String? = nil) async throws -> Trade {
        if Self.isCrypto(symbol) {
            guard let trade = try await latestTrades(symbols: [symbol])[symbol] else {
                throw AlpacaWireError(document: "latest trades", field: "trades.\(symbol)", problem: "no trade for \(symbol) in the answer")
            }
            return trade
        }
        let path = "/v2/stocks/\(Self.escape(symbol))/trades/latest" + (feed.map { "?feed=\(Self.escape($0))" } ?? "")
        return try AlpacaLatestTrades.decodeOne(await call(.get, path, base: environment.dataBaseURL).body).trade
    }

    /// The latest trades of several symbols in one request per asset class; a symbol without a trade is absent.
    public func latestTrades(symbols: [String], feed: String? = nil) async throws -> [String: Trade] {
        var trades: [String: Trade] = [:]
        for (path, group) in Self.latestPaths(symbols, stocks: "/v2/stocks/trades/latest", crypto: "/v1beta3/crypto/us/latest/trades") {
            let query = "?symbols=" + group.map(Self.escape).joined(separator: ",")
                + (feed.map { path.hasPrefix("/v2/") ? "&feed=\(Self.escape($0))" : "" } ?? "")
            trades.merge(try AlpacaLatestTrades.decode(await call(.get, path + query, base: environment.dataBaseURL).body)) { $1 }
        }
        return trades
    }

    /// A crypto pair is written with a slash (`BTC/USD`); stock symbols never have one.
    public static func isCrypto(_ symbol: String) -> Bool { symbol.contains("/") }

    /// The symbols split by the endpoint that serves them, stocks first; empty groups left out.
    private static func latestPaths(_ symbols: [String], stocks: String, crypto: String) -> [(String, [String])] {
        let pairs = symbols.filter(isCrypto), shares = symbols.filter { !isCrypto($0) }
        return [(stocks, shares), (crypto, pairs)].filter { !$0.1.isEmpty }
    }

    /// Sends an order at most once; see the type's comment.
    public func submit(_ request: OrderRequest, symbol: String) async throws -> AlpacaOrder {
        guard let clientOrderID = request.clientOrderID else {
            throw AlpacaWireError(document: "order request", field: "client_order_id",
                                  problem: "an order must carry a client order id before it is sent")
        }
        return try await atMostOnce(.post, "/v2/orders", body: AlpacaOrderBody(request, symbol: symbol).json(),
                                    clientOrderID: clientOrderID)
    }

    /// Sends a multi-leg option order at most once, as `submit` sends a single order; a single
    /// option contract goes through `submit` with its OCC symbol and a quantity in contracts.
    public func submit(_ order: AlpacaMultiLegOrderBody) async throws -> AlpacaMultiLegOrder {
        try await atMostOnce(.post, "/v2/orders", body: order.json(), clientOrderID: order.clientOrderID, decode: AlpacaMultiLegOrder.decode)
    }

    /// Exercises every held long contract of `contract` (`POST /v2/positions/{symbol}/exercise`):
    /// the shares are bought (a call) or sold (a put) at the strike. Sent once, never repeated.
    public func exercise(_ contract: OCCSymbol) async throws {
        let path = "/v2/positions/\(contract)/exercise"
        let response = try await exchange(.post, path, body: Data())
        guard (200...299).contains(response.status) else { throw AlpacaAPIError(response: response, method: "POST", path: path) }
    }

    /// Replaces a working order (`PATCH /v2/orders/{id}`): the old order ends `replaced` and the
    /// returned one works under `clientOrderID`, which must be new, so that after a lost response
    /// the client can ask whether the replacement exists instead of sending it twice.
    public func replace(orderID: String, quantity: Quantity? = nil, limitPrice: Price? = nil, stopPrice: Price? = nil,
                        timeInForce: TimeInForce? = nil, clientOrderID: String) async throws -> AlpacaOrder {
        var fields: [String: String] = ["client_order_id": clientOrderID]
        if let quantity { fields["qty"] = quantity.description }
        if let limitPrice { fields["limit_price"] = limitPrice.description }
        if let stopPrice { fields["stop_price"] = stopPrice.description }
        if let timeInForce { fields["time_in_force"] = timeInForce.rawValue }
        let body = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return try await atMostOnce(.patch, "/v2/orders/\(Self.escape(orderID))", body: body, clientOrderID: clientOrderID)
    }

    /// Closes a position with a market order (`DELETE /v2/positions/{symbol}`): all of it, or
    /// `quantity`. Sent once and never repeated blindly (a repeat could close twice): a lost answer
    /// is reported, and the caller looks at the open orders.
    public func closePosition(symbol: String, quantity: Quantity? = nil) async throws -> AlpacaOrder {
        let path = "/v2/positions/\(Self.escape(symbol))" + (quantity.map { "?qty=\($0)" } ?? "")
        let response = try await exchange(.delete, path, body: nil)
        guard (200...299).contains(response.status) else { throw AlpacaAPIError(response: response, method: "DELETE", path: path) }
        return try AlpacaOrder.decode(response.body)
    }

    /// Trading days between two dates (inclusive) with their open and close times.
    public func calendar(start: CivilDate, end: CivilDate) async throws -> [AlpacaCalendarDay] {
        try AlpacaCalendarDay.decodeList(await call(.get, "/v2/calendar?start=\(start)&end=\(end)").body)
    }

    /// A non-idempotent call that creates an order under `clientOrderID`: a 429 is re-sent (it was
    /// refused before being considered); after a 5xx or no answer the order is looked up by its
    /// client order id and re-sent only if the broker never saw it.
    private func atMostOnce(_ method: HTTPRequestSpec.Method, _ path: String, body: Data,
                            clientOrderID: String) async throws -> AlpacaOrder {
        try await atMostOnce(method, path, body: body, clientOrderID: clientOrderID, decode: AlpacaOrder.decode)
    }

    private func atMostOnce<Answer>(_ method: HTTPRequestSpec.Method, _ path: String, body: Data, clientOrderID: String,
                                    decode: (Data) throws -> Answer) async throws -> Answer {
        var attempt = 0
        while true {
            attempt += 1
            let outcome: HTTPResponseSpec?
            do {
                outcome = try await exchange(method, path, body: body)
            } catch is TransportFailure {
                outcome = nil
            }
            if let response = outcome, (200...299).contains(response.status) {
                return try decode(response.body)
            }
            if let response = outcome, !RetryPolicy.isRetryable(status: response.status) {
                throw AlpacaAPIError(response: response, method: method.rawValue, path: path)
            }
            if outcome?.status != 429 {
                let lookup = try await call(.get, "/v2/orders:by_client_order_id?client_order_id=\(Self.escape(clientOrderID))", acceptNotFound: true)
                if lookup.status != 404 { return try decode(lookup.body) }
            }
            guard attempt < retry.maxAttempts else {
                if let response = outcome { throw AlpacaAPIError(response: response, method: method.rawValue, path: path) }
                throw TransportFailure("\(method.rawValue) \(path) for \(clientOrderID): no response after \(attempt) attempts")
            }
            await wait(retry.delay(afterAttempt: attempt, jitter: generator.nextUniform(), retryAfter: outcome.flatMap(Self.retryAfter)))
        }
    }

    /// Replays the next `steps` timestamps (every symbol's bar of each) on Peregrine's local exchange
    /// (not part of Alpaca's API, and refused for paper and live). Sent once, never retried: a repeat
    /// would replay bars twice.
    public func advanceLocalExchange(steps count: Int) async throws -> (replayed: Int, remaining: Int) {
        guard environment.mode == .local else {
            throw AlpacaWireError(document: "advance", field: "environment",
                                  problem: "only the local exchange can be stepped; this is \(environment.mode)")
        }
        let response = try await exchange(.post, "/peregrine/advance?steps=\(count)", body: Data())
        guard (200...299).contains(response.status) else {
            throw AlpacaAPIError(response: response, method: "POST", path: "/peregrine/advance")
        }
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        guard let replayed = object?["replayed"] as? Int, let remaining = object?["remaining"] as? Int else {
            throw AlpacaWireError(document: "advance", field: "replayed", problem: "missing from the exchange's answer")
        }
        return (replayed, remaining)
    }

    // MARK: Plumbing

    /// An idempotent call with retries (GET, DELETE).
    private func call(_ method: HTTPRequestSpec.Method, _ path: String, acceptNotFound: Bool = false,
                      base: String? = nil) async throws -> HTTPResponseSpec {
        precondition(method == .get || method == .delete, "only idempotent calls are retried blindly")
        var attempt = 0
        while true {
            attempt += 1
            var failure: Error
            do {
                let response = try await exchange(method, path, body: nil, base: base)
                if (200...299).contains(response.status) || (acceptNotFound && response.status == 404) { return response }
                let error = AlpacaAPIError(response: response, method: method.rawValue, path: path)
                guard RetryPolicy.isRetryable(status: response.status) else { throw error }
                failure = error
                if attempt < retry.maxAttempts {
                    await wait(retry.delay(afterAttempt: attempt, jitter: generator.nextUniform(), retryAfter: Self.retryAfter(response)))
                    continue
                }
            } catch let error as TransportFailure {
                failure = error
                if attempt < retry.maxAttempts {
                    await wait(retry.delay(afterAttempt: attempt, jitter: generator.nextUniform()))
                    continue
                }
            }
            throw failure
        }
    }

    /// One request through the budget; updates the budget from the response headers.
    private func exchange(_ method: HTTPRequestSpec.Method, _ path: String, body: Data?,
                          base: String? = nil) async throws -> HTTPResponseSpec {
        let pause = budget.reserve(now: clock())
        if pause > 0 { await wait(pause) }
        var headers = ["Accept": "application/json"]
        for (name, value) in credentials.headers { headers[name] = value }
        if body != nil { headers["Content-Type"] = "application/json" }
        let response = try await transport.send(HTTPRequestSpec(method: method, url: (base ?? environment.tradingBaseURL) + path,
                                                                 headers: headers, body: body))
        let now = clock()
        budget.observe(headers: response.headers, now: now, unixNow: Date().timeIntervalSince1970)
        return response
    }

    private func wait(_ seconds: Double) async {
        waits.append(seconds)
        await sleep(seconds)
    }


    /// The server's `Retry-After` in seconds; header names are case-insensitive (HTTP/2 and NIO lower-case them, others may not).
    static func retryAfter(_ response: HTTPResponseSpec) -> Double? {
        response.headers.first { $0.key.lowercased() == "retry-after" }.flatMap { Double($0.value) }
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+/?#"))) ?? text
    }
}
