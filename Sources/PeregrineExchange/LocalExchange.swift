import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineRisk

/// An offline exchange that speaks the part of Alpaca's Trading and Market Data APIs Peregrine uses,
/// backed by the same `SimulatedVenue` as backtests: an order sent after bar t fills on bar t+1 by
/// exactly the backtest's rules, so a strategy traded here gets the fills its backtest got.
///
/// Time moves only when told (`POST /peregrine/advance`, or a pacing loop in the server), and the bar
/// endpoints show only bars already replayed: nothing from the future leaks to a client.
public actor LocalExchange {
    public let credentials: AlpacaCredentials
    public let accountNumber: String
    let series: [BarSeries]
    let symbols: [String: InstrumentID]
    let venue: SimulatedVenue
    var account: Account
    /// The time-merged replay order: (instrument, bar index).
    private let timeline: [(instrument: Int, bar: Int)]
    private var replayed = 0
    var barsSeen: [Int]
    /// Each instrument's latest replayed bar's place in the replay (from 1; 0 before its first).
    private var lastSequence: [Int]
    /// The amount a notional order asked for, by order (Alpaca shows it on the order).
    private var notionals: [OrderID: String] = [:]
    private var lastEquity: Money
    /// `trade_updates` messages, in order; clients poll `GET /peregrine/trade_updates?after=N`.
    public internal(set) var tradeUpdates: [Data] = []
    private var executions = 0
    /// Splits and dividends (from `exchange --corporate-actions`): listed at `GET /v1/corporate-actions`
    /// and applied to the account as a broker does, before the first bar on or after each date: a split
    /// cancels the symbol's working orders and scales the position (a fraction of a share paid in
    /// cash at the post-split price), a dividend pays cash per share held.
    public private(set) var corporateActions: [CorporateAction] = []
    /// The same actions by symbol, in date order, and how many of each symbol's are applied.
    private var pendingActions: [String: (actions: [CorporateAction], applied: Int)] = [:]

    public func serveCorporateActions(_ actions: [CorporateAction]) {
        corporateActions = actions.sorted { ($0.date, $0.symbol) < ($1.date, $1.symbol) }
        pendingActions = Dictionary(grouping: corporateActions, by: \.symbol).mapValues { ($0, 0) }
    }

    private func applyCorporateActions(instrument i: Int, at time: Timestamp) {
        let symbol = series[i].instrument.symbol
        guard var pending = pendingActions[symbol] else { return }
        let day = time.nanoseconds.floorDivided(by: Timestamp.nanosPerDay)
        while pending.applied < pending.actions.count, pending.actions[pending.applied].date.daysSinceEpoch <= day {
            let action = pending.actions[pending.applied]
            pending.applied += 1
            let id = InstrumentID(i)
            switch action.kind {
            case .split(let numerator, let denominator):
                for order in venue.openOrders(id) { _ = venue.cancel(order.id, at: time) }
                drainVenueEvents()
                let previous = barsSeen[i] > 0 ? series[i].closes[barsSeen[i] - 1] : 0
                let reference = Price(units: Int64(clamping: Int128(previous) * Int128(denominator) / Int128(numerator)))
                account.split(id, numerator: numerator, denominator: denominator, lot: series[i].instrument.lotSize, price: reference)
            case .dividend(let amount):
                account.payDividend(id, perShare: amount)
            }
        }
        pendingActions[symbol] = pending
    }

    /// Every accepted order (legs included) by client order id, for Alpaca's lookup by that id.
    var byClientOrderID: [String: OrderID] = [:]
    /// Option positions, premiums, orders and events (`LocalExchange+Options.swift`).
    var options = OptionBook()
    let optionListing = OptionListing()
    let optionPricing: OptionPricingModel
    /// Alpaca's options trading level, 0 to 3 (paper accounts have 3): see `LocalExchange+OptionBuyingPower`.
    let optionsTradingLevel: Int

    public init(series: [BarSeries], cash: Money = Money(100_000), venue configuration: VenueConfiguration = VenueConfiguration(),
                credentials: AlpacaCredentials, accountNumber: String = "PEREGRINE-LOCAL", optionRate: Double = 0,
                optionsLevel: Int = 3) {
        precondition(!series.isEmpty)
        optionPricing = OptionPricingModel(rate: optionRate)
        optionsTradingLevel = min(max(optionsLevel, 0), 3)
        self.series = series
        self.credentials = credentials
        self.accountNumber = accountNumber
        var symbols: [String: InstrumentID] = [:]
        for (index, item) in series.enumerated() { symbols[item.instrument.symbol] = InstrumentID(index) }
        self.symbols = symbols
        venue = SimulatedVenue(instruments: series.map(\.instrument), configuration: configuration,
                               barIntervals: series.map(\.typicalInterval), clientOrderPrefix: "local")
        account = Account(cash: cash, instrumentCount: series.count)
        lastEquity = cash
        var timeline: [(Int, Int, Int64)] = []
        for (i, item) in series.enumerated() {
            for k in 0..<item.count { timeline.append((i, k, item.timestamps[k])) }
        }
        timeline.sort { ($0.2, $0.0) < ($1.2, $1.0) }
        self.timeline = timeline.map { ($0.0, $0.1) }
        barsSeen = Array(repeating: 0, count: series.count)
        lastSequence = Array(repeating: 0, count: series.count)
    }

    /// How many times the streams were dropped on purpose; stream sessions close when it changes.
    public private(set) var streamDrops = 0

    /// Closes every trading-stream connection (a fault for clients to survive: they must reconnect,
    /// listen again and catch up over REST).
    public func dropStreams() { streamDrops += 1 }

    /// Bars replayed so far, counted in replay order (the market-data stream's cursor).
    public var replayedBarCount: Int { replayed }

    /// The bars replayed after the first `index`, with their symbols, in replay order.
    public func replayedBars(after index: Int) -> [ReplayedBar] {
        guard index < replayed else { return [] }
        return (max(0, index)..<replayed).map { k in
            let step = timeline[k]
            let item = series[step.instrument]
            return ReplayedBar(symbol: item.instrument.symbol, instrument: item.instrument, bar: item[step.bar], sequence: k + 1)
        }
    }

    /// The latest bar replayed of a symbol, nil before its first.
    public func latestBar(symbol: String) -> ReplayedBar? {
        guard let instrument = symbols[symbol], barsSeen[instrument.index] > 0 else { return nil }
        let item = series[instrument.index]
        return ReplayedBar(symbol: symbol, instrument: item.instrument, bar: item[barsSeen[instrument.index] - 1],
                           sequence: lastSequence[instrument.index])
    }

    /// The instrument traded under a symbol, if the exchange has it.
    public func instrument(symbol: String) -> Instrument? { symbols[symbol].map { series[$0.index].instrument } }

    /// Open market-data stream connections per endpoint (`iex`, `crypto/us`); Alpaca allows one per
    /// key and endpoint.
    public private(set) var marketDataConnections: [String: Int] = [:]

    /// Takes the key's one connection to `endpoint`, or says it is taken.
    public func openMarketDataConnection(endpoint: String) -> Bool {
        guard marketDataConnections[endpoint, default: 0] == 0 else { return false }
        marketDataConnections[endpoint] = 1
        return true
    }

    public func closeMarketDataConnection(endpoint: String) { marketDataConnections[endpoint] = 0 }

    /// Number of `trade_updates` messages so far.
    public var tradeUpdateCount: Int { tradeUpdates.count }

    /// The `trade_updates` messages after the first `index`.
    public func tradeUpdates(after index: Int) -> [Data] { Array(tradeUpdates.dropFirst(index)) }

    /// Bars replayed so far and bars left.
    public var progress: (replayed: Int, remaining: Int) { (replayed, timeline.count - replayed) }

    /// The exchange's current time: the latest replayed bar's.
    public var now: Timestamp {
        guard replayed > 0 else { return Timestamp(nanoseconds: series.map { $0.timestamps.first ?? 0 }.min() ?? 0) }
        let last = timeline[replayed - 1]
        return Timestamp(nanoseconds: series[last.instrument].timestamps[last.bar])
    }

    /// Replays up to `count` bars: resting orders fill against each, fills reach the account and the
    /// `trade_updates` log. Returns how many bars were replayed.
    @discardableResult
    public func advance(bars count: Int) -> Int {
        var done = 0
        while done < count, replayed < timeline.count {
            let step = timeline[replayed]
            let bar = series[step.instrument][step.bar]
            lastEquity = equity
            applyCorporateActions(instrument: step.instrument, at: bar.timestamp)
            settleOptions(instrument: step.instrument, at: bar.timestamp)
            venue.process(bar: bar, instrument: InstrumentID(step.instrument))
            fillOptionOrders(instrument: step.instrument, bar: bar)
            barsSeen[step.instrument] = step.bar + 1
            replayed += 1
            lastSequence[step.instrument] = replayed
            done += 1
            drainVenueEvents()
        }
        return done
    }

    /// Replays every bar of the next `count` timestamps (all symbols' bars of a time together, as a
    /// backtest's time step). Returns how many bars were replayed.
    @discardableResult
    public func advance(timeSteps count: Int) -> Int {
        var done = 0
        for _ in 0..<count {
            guard replayed < timeline.count else { break }
            let first = timeline[replayed]
            let time = series[first.instrument].timestamps[first.bar]
            while replayed < timeline.count,
                  series[timeline[replayed].instrument].timestamps[timeline[replayed].bar] == time {
                done += advance(bars: 1)
            }
        }
        return done
    }

    // MARK: HTTP

    /// Answers one request the way Alpaca would.
    public func handle(_ request: HTTPRequestSpec) -> HTTPResponseSpec {
        guard credentials.matches(keyID: request.header("APCA-API-KEY-ID"), secret: request.header("APCA-API-SECRET-KEY")) else {
            return error(ExchangeRequestError(401, "request is not authorized"))
        }
        let (path, query) = Self.split(request.url)
        do {
            switch (request.method, path) {
            case (.get, "/v2/account"): return ok(accountDocument())
            case (.get, "/v2/clock"): return ok(clockDocument())
            case (.get, "/v2/positions"): return ok(positionDocuments() + optionPositionDocuments())
            case (.get, "/v2/assets"):
                return ok(series.enumerated().map { ExchangeDocuments.asset($0.element.instrument, id: InstrumentID($0.offset)) })
            case (.get, "/v2/orders"):
                let status = query["status"] ?? "open"
                return ok(orderDocuments(status: status) + optionOrderDocuments(status: status))
            case (.post, "/v2/orders"):
                let body = request.body ?? Data()
                return ok(isOptionOrder(body) ? try submitOptionOrder(body) : try submit(body))
            case (.get, "/v2/options/contracts"): return ok(try optionContractsDocument(query))
            case (.get, "/v2/account/activities"): return ok(optionActivityDocuments(types: query["activity_types"]))
            case (.get, "/v2/orders:by_client_order_id"):
                if let id = query["client_order_id"], let option = options.orders.first(where: { $0.clientOrderID == id }) {
                    return ok(optionOrderDocument(option))
                }
                guard let id = query["client_order_id"], let orderID = byClientOrderID[id], let order = venue.order(orderID) else {
                    throw ExchangeRequestError(404, "order not found")
                }
                return ok(document(order))
            case (.post, "/peregrine/advance"):
                // bars=N replays N bars; steps=N replays N whole timestamps (every symbol's bar of each).
                let done: Int
                if let steps = query["steps"] {
                    done = advance(timeSteps: max(Int(steps) ?? 1, 0))
                } else {
                    done = advance(bars: max(Int(query["bars"] ?? "1") ?? 1, 0))
                }
                return ok(["replayed": done, "remaining": timeline.count - replayed, "time": now.iso8601])
            case (.get, "/v2/calendar"): return ok(try calendarDocuments(query))
            case (.post, "/peregrine/drop_streams"):
                dropStreams()
                return ok(["dropped": streamDrops])
            case (.patch, _) where path.hasPrefix("/v2/orders/"):
                return ok(try replace(String(path.dropFirst("/v2/orders/".count)), body: request.body ?? Data()))
            case (.get, "/v2/stocks/bars"), (.get, "/v1beta3/crypto/us/bars"):
                return ok(try pagedBars(query))
            case (.get, "/v1/corporate-actions"):
                return ok(try corporateActionsDocument(query))
            case (.get, "/v2/stocks/quotes/latest"):
                return ok(["quotes": try latest(query, crypto: false) { $0.quote }.mapValues(ExchangeDocuments.quote)])
            case (.get, "/v2/stocks/trades/latest"):
                return ok(["trades": try latest(query, crypto: false) { $0.trade }.mapValues(ExchangeDocuments.trade)])
            case (.get, "/v1beta3/crypto/us/latest/quotes"):
                return ok(["quotes": try latest(query, crypto: true) { $0.quote }.mapValues(ExchangeDocuments.quote)])
            case (.get, "/v1beta3/crypto/us/latest/trades"):
                return ok(["trades": try latest(query, crypto: true) { $0.trade }.mapValues(ExchangeDocuments.trade)])
            case (.get, "/v1beta3/crypto/us/latest/bars"):
                return ok(["bars": try latest(query, crypto: true) { $0.bar }.mapValues(ExchangeDocuments.bar)])
            case (.get, "/peregrine/trade_updates"):
                let after = max(Int(query["after"] ?? "0") ?? 0, 0)
                let messages = tradeUpdates.dropFirst(after).compactMap { try? JSONSerialization.jsonObject(with: $0) }
                return ok(messages)
            default:
                if let answer = try handleOptionRequest(request.method, path: path, query: query) { return answer }
                if request.method == .get, path.hasPrefix("/v2/orders/") {
                    return ok(document(try order(id: String(path.dropFirst("/v2/orders/".count)))))
                }
                if request.method == .delete, path.hasPrefix("/v2/orders/") {
                    let order = try order(id: String(path.dropFirst("/v2/orders/".count)))
                    if let problem = venue.cancel(order.id, at: now) { throw ExchangeRequestError(422, problem.description) }
                    drainVenueEvents()
                    return HTTPResponseSpec(status: 204)
                }
                if request.method == .delete, path == "/v2/positions" {
                    return ok(try closeAllPositions(cancelOrders: query["cancel_orders"]?.lowercased() == "true"))
                }
                if request.method == .delete, path.hasPrefix("/v2/positions/") {
                    let symbol = symbol(inPath: path.dropFirst("/v2/positions/".count))
                    return ok(try closePosition(symbol, quantity: query["qty"], percentage: query["percentage"]))
                }
                if request.method == .get, path.hasPrefix("/v2/positions/") {
                    let symbol = symbol(inPath: path.dropFirst("/v2/positions/".count))
                    guard symbols[symbol] != nil else { throw ExchangeRequestError(404, "asset not found") }
                    guard let position = positionDocuments().first(where: { $0["symbol"] as? String == symbol }) else {
                        throw ExchangeRequestError(404, "position does not exist")
                    }
                    return ok(position)
                }
                if request.method == .get, path.hasPrefix("/v2/assets/") {
                    let symbol = symbol(inPath: path.dropFirst("/v2/assets/".count))
                    guard let instrument = symbols[symbol] else { throw ExchangeRequestError(404, "asset not found") }
                    return ok(ExchangeDocuments.asset(series[instrument.index].instrument, id: instrument))
                }
                if request.method == .get, path.hasPrefix("/v2/stocks/"), path.hasSuffix("/quotes/latest") || path.hasSuffix("/trades/latest") {
                    let quotes = path.hasSuffix("/quotes/latest")
                    let encoded = path.dropFirst("/v2/stocks/".count).dropLast((quotes ? "/quotes/latest" : "/trades/latest").count)
                    let symbol = String(encoded).removingPercentEncoding ?? String(encoded)
                    let found = try latest(["symbols": symbol], crypto: false) { $0 }
                    guard let bar = found[symbol] else { throw ExchangeRequestError(404, "no \(quotes ? "quote" : "trade") yet for \(symbol)") }
                    return ok(quotes ? ["symbol": symbol, "quote": ExchangeDocuments.quote(bar.quote)]
                                     : ["symbol": symbol, "trade": ExchangeDocuments.trade(bar.trade)])
                }
                if request.method == .get, path.hasPrefix("/v2/stocks/"), path.hasSuffix("/bars") {
                    let symbol = String(path.dropFirst("/v2/stocks/".count).dropLast("/bars".count))
                    return ok(try barsDocument(symbol: symbol, limit: Int(query["limit"] ?? "1000") ?? 1000))
                }
                throw ExchangeRequestError(404, "endpoint not found: \(request.method.rawValue) \(path)")
            }
        } catch let failure as ExchangeRequestError {
            return error(failure)
        } catch {
            return self.error(ExchangeRequestError(500, "\(error)"))
        }
    }

    /// The symbol a path names: percent-encoded or not, and a pair also without its slash
    /// (`BTC%2FUSD`, `BTC/USD` and `BTCUSD` are all `BTC/USD`), as Alpaca takes them.
    func symbol(inPath text: Substring) -> String {
        let decoded = String(text).removingPercentEncoding ?? String(text)
        if symbols[decoded] != nil { return decoded }
        let bare = decoded.replacingOccurrences(of: "/", with: "")
        return symbols.keys.first { $0.contains("/") && $0.replacingOccurrences(of: "/", with: "") == bare } ?? decoded
    }

    // MARK: Orders

    private func submit(_ body: Data) throws -> [String: Any] {
        let incoming: IncomingOrder
        do { incoming = try JSONDecoder().decode(IncomingOrder.self, from: body) } catch {
            throw ExchangeRequestError(422, "malformed order body: \(error)")
        }
        if let id = incoming.client_order_id, options.orders.contains(where: { $0.clientOrderID == id }) {
            throw ExchangeRequestError(422, "client_order_id must be unique")
        }
        guard let instrument = symbols[incoming.symbol] else {
            throw ExchangeRequestError(422, "asset \(incoming.symbol) is not tradable on this exchange")
        }
        let traded = series[instrument.index].instrument
        let request = try incoming.request(instrument: instrument, traded: traded, lastPrice: latestBar(symbol: traded.symbol)?.bar.close)
        if traded.assetClass == .crypto && request.side == .sell {
            // Crypto cannot be sold short: a sale takes coins the account holds and no other order holds.
            let held = max(account.position(instrument).quantity, .zero)
            let available = held - venue.pendingQuantity(instrument, side: .sell)
            guard request.quantity <= available else {
                throw ExchangeRequestError(403, "insufficient balance for \(traded.symbol) (requested: \(request.quantity), available: \(available))")
            }
        }
        return try accept(notional: incoming.notional?.text) { venue.submit(request, at: now) }
    }

    /// Runs a venue call that may create orders (a submission, a replacement, a closing order): new
    /// orders and their legs become findable by client order id and their events reach the log; a
    /// refusal becomes Alpaca's 422.
    private func accept(notional: String? = nil, _ create: () -> Result<OrderID, Rejection>) throws -> [String: Any] {
        let known = venue.orders.count
        switch create() {
        case .success(let id):
            for order in venue.orders[known...] { byClientOrderID[order.clientOrderID] = order.id }
            if let notional { notionals[id] = notional }
            drainVenueEvents()
            return document(venue.order(id)!)
        case .failure(let rejection) where rejection.code == .duplicateClientOrderID:
            throw ExchangeRequestError(422, "client_order_id must be unique")
        case .failure(let rejection):
            throw ExchangeRequestError(422, rejection.description)
        }
    }

    /// Alpaca's close: a market order for the whole position (or `qty`, or `percentage` of it) on the
    /// other side, refused when working orders already hold what would be sold.
    private func closePosition(_ symbol: String, quantity: String?, percentage: String?) throws -> [String: Any] {
        guard let instrument = symbols[symbol] else { throw ExchangeRequestError(404, "asset \(symbol) not found") }
        let held = account.position(instrument).quantity
        guard !held.isZero else { throw ExchangeRequestError(404, "position does not exist") }
        let side: OrderSide = held.units > 0 ? .sell : .buy
        let available = held.magnitude - venue.pendingQuantity(instrument, side: side)
        var size = held.magnitude
        if let text = quantity {
            guard let value = Quantity(text), value.units > 0 else { throw ExchangeRequestError(422, "qty '\(text)' is not a quantity") }
            size = value
        } else if let text = percentage {
            guard let value = Double(text), value > 0, value <= 100 else {
                throw ExchangeRequestError(422, "percentage '\(text)' must be in (0, 100]")
            }
            size = Quantity(approximating: held.magnitude.doubleValue * value / 100)
                .rounded(downToLot: series[instrument.index].instrument.lotSize)
        }
        guard size <= available, size.units > 0 else {
            throw ExchangeRequestError(403, "insufficient qty available for order (requested: \(size), available: \(available))")
        }
        return try accept { venue.submit(.market(instrument, side, size), at: now) }
    }

    /// Closes every position (canceling working orders first when asked), one result per symbol.
    private func closeAllPositions(cancelOrders: Bool) throws -> [[String: Any]] {
        if cancelOrders {
            for index in series.indices {
                for order in venue.openOrders(InstrumentID(index)) where order.parentID == nil || order.parentID == order.id {
                    _ = venue.cancel(order.id, at: now)
                }
            }
            drainVenueEvents()
        }
        return try series.indices.filter { !account.position(InstrumentID($0)).quantity.isZero }.map { index in
            let symbol = series[index].instrument.symbol
            do {
                let order = try closePosition(symbol, quantity: nil, percentage: nil)
                return ["symbol": symbol, "status": 200, "body": order]
            } catch let failure as ExchangeRequestError {
                return ["symbol": symbol, "status": failure.status, "body": ["code": failure.status * 100_000, "message": failure.message]]
            }
        }
    }

    /// Alpaca's replace: quantity, prices, time in force and client order id may change.
    private func replace(_ id: String, body: Data) throws -> [String: Any] {
        let old = try order(id: id)
        guard let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw ExchangeRequestError(422, "malformed replace body")
        }
        func price(_ key: String) throws(ExchangeRequestError) -> Price? {
            guard let value = fields[key] else { return nil }
            guard let text = value as? String ?? (value as? NSNumber)?.stringValue, let price = Price(text) else {
                throw ExchangeRequestError(422, "\(key) '\(value)' is not a price")
            }
            return price
        }
        var request = OrderRequest(instrument: old.instrument, side: old.side, quantity: old.quantity, type: old.type,
                                   timeInForce: old.timeInForce, limitPrice: old.limitPrice, stopPrice: old.stopPrice, trail: old.trail)
        if let value = fields["qty"] {
            guard let text = value as? String ?? (value as? NSNumber)?.stringValue, let quantity = Quantity(text) else {
                throw ExchangeRequestError(422, "qty '\(value)' is not a quantity")
            }
            request.quantity = quantity
        }
        request.limitPrice = try price("limit_price") ?? request.limitPrice
        request.stopPrice = try price("stop_price") ?? request.stopPrice
        if let text = fields["time_in_force"] as? String {
            guard let tif = TimeInForce(rawValue: text) else { throw ExchangeRequestError(422, "time_in_force '\(text)' is not known") }
            request.timeInForce = tif
        }
        request.clientOrderID = fields["client_order_id"] as? String
        return try accept { venue.replace(old.id, with: request, at: now) }
    }

    /// Trading days of the stock market between `start` and `end` (dates, inclusive), with its hours
    /// and NYSE's early closes, in Alpaca's shape. As at Alpaca, the calendar is the stock market's
    /// even for crypto, which trades around it: the days are those with stock bars, or with only
    /// crypto to replay, the weekdays among the days with bars.
    /// Alpaca's corporate-actions answer for the requested symbols (all without `symbols`), types
    /// and ex-date range, on one page.
    private func corporateActionsDocument(_ query: [String: String]) throws -> [String: Any] {
        let wanted = query["symbols"].map { Set($0.split(separator: ",").map(String.init)) }
        let types = Set((query["types"] ?? "forward_split,reverse_split,cash_dividend").split(separator: ",").map(String.init))
        func date(_ name: String) throws -> CivilDate? {
            guard let text = query[name] else { return nil }
            guard let value = CivilDate(iso: text.prefix(10)) else { throw ExchangeRequestError(422, "\(name) '\(text)' is not a date") }
            return value
        }
        let start = try date("start"), end = try date("end")
        var groups: [String: [[String: Any]]] = [:]
        for (index, action) in corporateActions.enumerated() {
            if let wanted, !wanted.contains(action.symbol) { continue }
            if let start, action.date < start { continue }
            if let end, action.date > end { continue }
            switch action.kind {
            case .split(let numerator, let denominator):
                let kind = numerator > denominator ? "forward_split" : "reverse_split"
                guard types.contains(kind) else { continue }
                groups[kind + "s", default: []].append([
                    "id": Self.actionID(index), "symbol": action.symbol, "new_rate": numerator, "old_rate": denominator, "ex_date": action.date.description,
                    "process_date": action.date.description, "record_date": action.date.description, "payable_date": action.date.description,
                    "cusip": "000000000", "old_cusip": "000000000", "new_cusip": "000000000"])
            case .dividend(let amount):
                guard types.contains("cash_dividend") else { continue }
                groups["cash_dividends", default: []].append([
                    "id": Self.actionID(index), "symbol": action.symbol, "rate": NSDecimalNumber(string: amount.description), "special": false, "foreign": false,
                    "ex_date": action.date.description, "process_date": action.date.description, "record_date": action.date.description,
                    "payable_date": action.date.description, "cusip": "000000000"])
            }
        }
        return ["corporate_actions": groups, "next_page_token": NSNull()]
    }

    /// A stable UUID for the index-th listed action, as Alpaca identifies them.
    static func actionID(_ index: Int) -> String {
        let hex = String(index + 1, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    private func calendarDocuments(_ query: [String: String]) throws -> [[String: Any]] {
        func date(_ key: String) throws(ExchangeRequestError) -> CivilDate? {
            guard let text = query[key] else { return nil }
            guard let value = CivilDate(iso: text.prefix(10)) else {
                throw ExchangeRequestError(422, "\(key) '\(text)' is not a date (YYYY-MM-DD)")
            }
            return value
        }
        let start = try date("start"), end = try date("end")
        let calendar = TradingCalendar.usEquity
        let stocks = series.filter { $0.instrument.assetClass != .crypto }
        var days = Set<Int64>()
        for item in stocks.isEmpty ? series : stocks {
            // The session a bar belongs to, by the venue's own rule (a daily bar stamped at midnight UTC is that date's).
            var clock = SessionClock(calendar: calendar, interval: item.typicalInterval)
            for time in item.timestamps { days.insert(clock.position(ofBarStarting: Timestamp(nanoseconds: time)).day) }
        }
        return days.sorted().map { CivilDate(daysSinceEpoch: $0) }.filter { day in
            (start.map { day >= $0 } ?? true) && (end.map { day <= $0 } ?? true) && (!stocks.isEmpty || (1...5).contains(day.weekday))
        }.map { day in
            let close = EarlyCloses().earlyClose(on: day) ?? calendar.closeMinute
            return ["date": day.description, "open": Self.clock(calendar.openMinute), "close": Self.clock(close),
                    "session_open": "0400", "session_close": "2000", "settlement_date": day.description]
        }
    }

    static func clock(_ minute: Int) -> String {
        (minute / 60 < 10 ? "0" : "") + "\(minute / 60):" + (minute % 60 < 10 ? "0" : "") + "\(minute % 60)"
    }

    private func order(id: String) throws(ExchangeRequestError) -> Order {
        guard let order = venue.orders.first(where: { ExchangeDocuments.orderID($0.id) == id }) else {
            throw ExchangeRequestError(404, "order not found")
        }
        return order
    }

    private func drainVenueEvents() {
        let events = venue.events
        venue.events.removeAll()
        for event in events {
            switch event {
            case .fill(let fill):
                _ = account.apply(fill)
                executions += 1
                let order = venue.order(fill.orderID)!
                let position = account.position(fill.instrument).quantity
                append(event: order.status == .filled ? "fill" : "partial_fill", order: order, extra: [
                    "execution_id": ExchangeDocuments.uuid(4, executions), "price": fill.price.description,
                    "qty": fill.quantity.description, "position_qty": position.description, "timestamp": fill.timestamp.iso8601,
                ])
            case .orderUpdated(let id):
                let order = venue.order(id)!
                guard order.status != .filled && order.status != .partiallyFilled else { continue }
                append(event: order.status.rawValue, order: order, extra: ["timestamp": order.updatedAt.iso8601])
            }
        }
    }

    private func append(event: String, order: Order, extra: [String: Any]) {
        var data = extra
        data["event"] = event
        data["order"] = document(order)
        tradeUpdates.append(ExchangeDocuments.json(["stream": "trade_updates", "data": data]))
    }

    // MARK: Documents

    private func symbol(_ instrument: InstrumentID) -> String { series[instrument.index].instrument.symbol }
    private func assetClass(_ instrument: InstrumentID) -> String { series[instrument.index].instrument.assetClass.rawValue }

    private func document(_ order: Order) -> [String: Any] {
        let legs = venue.orders.filter { $0.parentID == order.id && $0.id != order.id }
            .map { ExchangeDocuments.order($0, symbol: symbol($0.instrument), assetClass: assetClass($0.instrument), legs: nil) }
        return ExchangeDocuments.order(order, symbol: symbol(order.instrument), assetClass: assetClass(order.instrument),
                                       legs: legs.isEmpty ? nil : legs, notional: notionals[order.id])
    }

    /// Orders with their legs nested; for `open`, a working leg whose parent is done (a bracket whose
    /// entry filled) is listed on its own, or it would not be listed at all.
    private func orderDocuments(status: String) -> [[String: Any]] {
        venue.orders.filter { order in
            guard let parent = order.parentID, parent != order.id else { return true }
            return status == "open" && !(venue.order(parent)?.status.isWorking ?? false)
        }.filter { order in
            switch status {
            case "open": return order.status.isWorking
            case "closed": return order.status.isTerminal
            default: return true
            }
        }.map(document)
    }

    var marks: [Price] {
        series.indices.map { i in barsSeen[i] > 0 ? series[i][barsSeen[i] - 1].close : (series[i].count > 0 ? series[i][0].open : .zero) }
    }

    var equity: Money { account.equity(marks: marks) + optionEquity }

    private func accountDocument() -> [String: Any] {
        var long = Money.zero
        var short = Money.zero
        for (i, position) in account.positions.enumerated() {
            let value = marks[i] * position.quantity
            if position.isLong { long += value } else if position.isShort { short += value }
        }
        let optionValue = options.value(marks: optionMark)
        long += optionValue.long
        short += optionValue.short
        var document = ExchangeDocuments.account(number: accountNumber, cash: account.cash + options.cash, positionsValue: long + short,
                                                 longValue: long, shortValue: short, lastEquity: lastEquity,
                                                 created: Timestamp(nanoseconds: series[0].timestamps.first ?? 0))
        document["options_buying_power"] = optionsBuyingPower.description
        document["options_approved_level"] = optionsTradingLevel
        document["options_trading_level"] = optionsTradingLevel
        return document
    }

    private func positionDocuments() -> [[String: Any]] {
        account.positions.enumerated().filter { !$0.element.isFlat }.map { i, position in
            let previous = barsSeen[i] > 1 ? series[i][barsSeen[i] - 2].close : marks[i]
            return ExchangeDocuments.position(symbol: symbol(InstrumentID(i)), instrument: InstrumentID(i),
                                              assetClass: assetClass(InstrumentID(i)), position: position, mark: marks[i],
                                              previousClose: previous)
        }
    }

    private func clockDocument() -> [String: Any] {
        let next = replayed < timeline.count
            ? Timestamp(nanoseconds: series[timeline[replayed].instrument].timestamps[timeline[replayed].bar]) : now
        return ["timestamp": now.iso8601, "is_open": replayed < timeline.count, "next_open": next.iso8601,
                "next_close": next.iso8601]
    }

    private func barsDocument(symbol: String, limit: Int) throws(ExchangeRequestError) -> [String: Any] {
        guard let instrument = symbols[symbol] else { throw ExchangeRequestError(404, "unknown symbol \(symbol)") }
        let seen = barsSeen[instrument.index]
        let start = max(seen - max(limit, 1), 0)
        let bars = (start..<seen).map { ExchangeDocuments.bar(series[instrument.index][$0]) }
        return ["bars": bars, "symbol": symbol, "next_page_token": NSNull()]
    }

    /// The latest replayed bar of each symbol of `symbols=`, picked into a quote, trade or bar; a
    /// symbol with no bar yet is left out, as Alpaca leaves out a symbol it has no data for. A
    /// symbol of the other asset class than the endpoint serves is refused, naming the right one.
    private func latest<Value>(_ query: [String: String], crypto: Bool,
                               _ pick: (ReplayedBar) -> Value) throws(ExchangeRequestError) -> [String: Value] {
        let names = (query["symbols"] ?? "").split(separator: ",").map(String.init)
        guard !names.isEmpty else { throw ExchangeRequestError(400, "symbols: give at least one symbol") }
        var found: [String: Value] = [:]
        for name in names {
            guard let instrument = symbols[name] else { throw ExchangeRequestError(404, "unknown symbol \(name)") }
            let isCrypto = series[instrument.index].instrument.assetClass == .crypto
            guard isCrypto == crypto else {
                throw ExchangeRequestError(400, isCrypto ? "\(name) is a crypto pair: ask /v1beta3/crypto/us/latest/..."
                                                       : "\(name) is not a crypto pair: ask /v2/stocks/...")
            }
            if let bar = latestBar(symbol: name) { found[name] = pick(bar) }
        }
        return found
    }

    /// The multi-symbol bars endpoint: bars already replayed with `start <= t <= end`, keyed by symbol,
    /// at most `limit` per page in all, continued by `next_page_token` (the offset of the next bar).
    private func pagedBars(_ query: [String: String]) throws(ExchangeRequestError) -> [String: Any] {
        func instant(_ key: String) throws(ExchangeRequestError) -> Int64? {
            guard let text = query[key] else { return nil }
            guard case .success(let parsed) = TimestampParser().parse(Array(text.utf8)) else {
                throw ExchangeRequestError(422, "invalid \(key): \(text)")
            }
            return parsed.timestamp.nanoseconds
        }
        let start = try instant("start") ?? .min
        let end = try instant("end") ?? .max
        let limit = min(max(Int(query["limit"] ?? "1000") ?? 1000, 1), 10_000)
        var offset = 0
        if let token = query["page_token"] {
            guard let value = Int(token), value >= 0 else { throw ExchangeRequestError(422, "invalid page_token: \(token)") }
            offset = value
        }
        var rows: [(symbol: String, bar: Bar)] = []
        for symbol in (query["symbols"] ?? "").split(separator: ",").map(String.init) {
            guard let instrument = symbols[symbol] else { throw ExchangeRequestError(404, "unknown symbol \(symbol)") }
            let item = series[instrument.index]
            for k in 0..<barsSeen[instrument.index] where item.timestamps[k] >= start && item.timestamps[k] <= end {
                rows.append((symbol, item[k]))
            }
        }
        let page = rows.dropFirst(offset).prefix(limit)
        var bars: [String: [[String: Any]]] = [:]
        for row in page { bars[row.symbol, default: []].append(ExchangeDocuments.bar(row.bar)) }
        let next: Any = offset + page.count < rows.count ? String(offset + page.count) : NSNull()
        return ["bars": bars, "next_page_token": next]
    }

    // MARK: Helpers

    func ok(_ object: Any) -> HTTPResponseSpec {
        HTTPResponseSpec(status: 200, headers: ["Content-Type": "application/json"], body: ExchangeDocuments.json(object))
    }

    func error(_ failure: ExchangeRequestError) -> HTTPResponseSpec {
        HTTPResponseSpec(status: failure.status, headers: ["Content-Type": "application/json"],
                         body: ExchangeDocuments.json(["code": failure.code, "message": failure.message]))
    }

    static func split(_ url: String) -> (path: String, query: [String: String]) {
        var text = url
        if let scheme = text.range(of: "://") {
            text = String(text[scheme.upperBound...])
            text = text.firstIndex(of: "/").map { String(text[$0...]) } ?? "/"
        }
        let parts = text.split(separator: "?", maxSplits: 1)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                if kv.count == 2 { query[kv[0]] = kv[1] }
            }
        }
        return (String(parts.first ?? ""), query)
    }
}
