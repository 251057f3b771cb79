import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineAlpaca
import PeregrineModels

/// Options on the local exchange: contracts listed around each stock underlying's price, priced by
/// `OptionPricingModel` (a model-priced market: no quotes, every trade and mark is the model's),
/// single-contract and mleg orders filled whole on the underlying's next bar, exercise, and
/// settlement at expiry into stock, with the activities Alpaca reports.
extension LocalExchange {
    // MARK: Prices

    /// The underlying's latest price: its latest replayed close, or its first open before any.
    func underlyingPrice(_ index: Int) -> Price? {
        let item = series[index]
        guard item.count > 0 else { return nil }
        return barsSeen[index] > 0 ? Price(units: item.closes[barsSeen[index] - 1]) : item[0].open
    }

    /// Realized volatility from the underlying's first `count` closes.
    func underlyingVolatility(_ index: Int, closes count: Int) -> Double {
        let item = series[index]
        let first = max(0, count - optionPricing.window - 1)
        return optionPricing.volatility(closes: item.closes[first..<count].map { Double($0) / Double(Price.scale) }, interval: item.typicalInterval)
    }

    /// The model's price of a contract now, at the underlying's latest price.
    func optionMark(_ contract: OCCSymbol) -> Price {
        guard let index = symbols[contract.root]?.index, let spot = underlyingPrice(index) else { return .zero }
        return optionPricing.price(contract, spot: spot, volatility: underlyingVolatility(index, closes: barsSeen[index]), at: now)
    }

    /// Cash moved by premiums plus the option positions at their marks.
    var optionEquity: Money {
        let value = options.value(marks: optionMark)
        return options.cash + value.long + value.short
    }

    /// The stock underlying a root names, refused for crypto (Alpaca lists no options on it).
    func optionUnderlying(_ root: String) throws(ExchangeRequestError) -> Int {
        guard let instrument = symbols[root] else { throw ExchangeRequestError(422, "no underlying \(root) on this exchange") }
        guard series[instrument.index].instrument.assetClass != .crypto else {
            throw ExchangeRequestError(422, "\(root) is a crypto pair: no options are listed on it")
        }
        return instrument.index
    }

    var today: CivilDate { CivilDate(daysSinceEpoch: now.nanoseconds.floorDivided(by: Timestamp.nanosPerDay)) }

    /// The contracts listed on an underlying now.
    func listedContracts(_ index: Int) -> [OCCSymbol] {
        guard series[index].instrument.assetClass != .crypto, let reference = underlyingPrice(index) else { return [] }
        return optionListing.contracts(root: series[index].instrument.symbol, on: today, reference: reference)
    }

    // MARK: Orders

    /// Whether a `POST /v2/orders` body is an option order: `mleg`, or a symbol that is an OCC
    /// symbol rather than one of the exchange's stocks.
    func isOptionOrder(_ body: Data) -> Bool {
        guard let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return false }
        if fields["order_class"] as? String == "mleg" { return true }
        guard let symbol = fields["symbol"] as? String, symbols[symbol] == nil else { return false }
        return (try? OCCSymbol(symbol)) != nil
    }

    /// Accepts an option order: every contract listed now (or held, to close it) on a stock of the
    /// exchange, within the account's options level and buying power; it works until the
    /// underlying's next bar, where it fills whole or (a limit not met) keeps working until its
    /// day ends.
    func submitOptionOrder(_ body: Data) throws -> [String: Any] {
        let incoming: IncomingOptionOrder
        do { incoming = try JSONDecoder().decode(IncomingOptionOrder.self, from: body) } catch {
            throw ExchangeRequestError(422, "malformed option order body: \(error)")
        }
        var order = try incoming.order(number: options.orders.count + 1, at: now)
        if byClientOrderID[order.clientOrderID] != nil || options.orders.contains(where: { $0.clientOrderID == order.clientOrderID }) {
            throw ExchangeRequestError(422, "client_order_id must be unique")
        }
        let index = try optionUnderlying(order.root)
        let listed = Set(listedContracts(index))
        for leg in order.legs {
            guard leg.contract.expiration >= today else { throw ExchangeRequestError(422, "\(leg.contract) expired on \(leg.contract.expiration)") }
            guard listed.contains(leg.contract) || options.positions[leg.contract] != nil else {
                throw ExchangeRequestError(422, "\(leg.contract) is not listed: ask GET /v2/options/contracts for the listed contracts")
            }
        }
        if barsSeen[index] > 0 { order.bindDay(sentAt: sessionPosition(index, ofBarAt: series[index].timestamps[barsSeen[index] - 1])) }
        try checkOptionBuyingPower(&order)
        options.add(order)
        appendOptionUpdate("new", order: order, extra: ["timestamp": now.iso8601])
        return OptionDocuments.order(order)
    }

    /// Where a bar of an underlying starting at `time` falls in its trading calendar (the venue's).
    func sessionPosition(_ index: Int, ofBarAt time: Int64) -> SessionPosition {
        let calendar = venue.configuration.calendar ?? series[index].instrument.assetClass.defaultCalendar
        return calendar.position(ofBarStarting: Timestamp(nanoseconds: time), interval: series[index].typicalInterval)
    }

    /// At an underlying's new bar, expires the day orders whose session is over, then, in regular
    /// hours, fills the working option orders: each leg at the model's price on the bar's open,
    /// with the volatility of the closes before it (no look-ahead); a limit not met keeps working.
    func fillOptionOrders(instrument index: Int, bar: Bar) {
        let root = series[index].instrument.symbol
        guard !options.working(root: root).isEmpty else { return }
        let session = sessionPosition(index, ofBarAt: bar.timestamp.nanoseconds)
        for orderIndex in options.expireDayOrders(root: root, session: session, at: bar.timestamp) {
            appendOptionUpdate("expired", order: options.orders[orderIndex], extra: ["timestamp": bar.timestamp.iso8601])
        }
        let working = options.working(root: root)
        guard session.isInSession, !working.isEmpty else { return }
        let volatility = underlyingVolatility(index, closes: barsSeen[index])
        for orderIndex in working {
            let prices = options.orders[orderIndex].legs.map {
                optionPricing.price($0.contract, spot: bar.open, volatility: volatility, at: bar.timestamp)
            }
            guard options.fill(orderIndex, legPrices: prices, at: bar.timestamp) else { continue }
            let order = options.orders[orderIndex]
            let position = options.positions[order.legs[0].contract].map(OptionBook.contracts) ?? 0
            appendOptionUpdate("fill", order: order, extra: [
                "timestamp": bar.timestamp.iso8601, "price": (order.fillPrice ?? .zero).description,
                "qty": String(order.quantity), "position_qty": String(position),
            ])
        }
    }

    /// Settles the underlying's contracts that expired before this bar's day, at its last close.
    func settleOptions(instrument index: Int, at time: Timestamp) {
        let day = CivilDate(daysSinceEpoch: time.nanoseconds.floorDivided(by: Timestamp.nanosPerDay))
        let root = series[index].instrument.symbol
        guard barsSeen[index] > 0 else { return }
        let close = Price(units: series[index].closes[barsSeen[index] - 1])
        let before = options.working(root: root)
        for delivery in options.settle(root: root, before: day, close: close, at: time) { deliver(delivery, at: time) }
        for orderIndex in before where options.orders[orderIndex].status == .expired {
            appendOptionUpdate("expired", order: options.orders[orderIndex], extra: ["timestamp": time.iso8601])
        }
    }

    /// Books the stock an exercise or assignment delivers, at the strike.
    func deliver(_ delivery: OptionBook.Delivery, at time: Timestamp) {
        guard let instrument = symbols[delivery.underlying], delivery.shares.units > 0 else { return }
        account.apply(Fill(orderID: OrderID(-(options.activities.count)), clientOrderID: "option-delivery-\(options.activities.count)",
                           instrument: instrument, side: delivery.side, quantity: delivery.shares, price: delivery.price,
                           commission: .zero, timestamp: time))
    }

    func appendOptionUpdate(_ event: String, order: OptionOrder, extra: [String: Any]) {
        var data = extra
        data["event"] = event
        data["order"] = OptionDocuments.order(order)
        tradeUpdates.append(ExchangeDocuments.json(["stream": "trade_updates", "data": data]))
    }

    func optionOrderDocuments(status: String) -> [[String: Any]] {
        options.orders.filter { order in
            switch status {
            case "open": return order.status.isWorking
            case "closed": return order.status.isTerminal
            default: return true
            }
        }.map(OptionDocuments.order)
    }

    func optionOrderDocument(_ order: OptionOrder) -> [String: Any] { OptionDocuments.order(order) }

    func optionPositionDocuments() -> [[String: Any]] {
        options.positions.keys.sorted().compactMap { contract in
            options.positions[contract].map { OptionDocuments.position(contract, position: $0, mark: optionMark(contract)) }
        }
    }

    // MARK: Requests

    /// `GET /v2/options/contracts` with Alpaca's filters and paging: `page_token` is the offset of
    /// the next contract, `limit` 1 to 10,000 (100 by default).
    func optionContractsDocument(_ query: [String: String]) throws(ExchangeRequestError) -> [String: Any] {
        func date(_ key: String) throws(ExchangeRequestError) -> CivilDate? {
            guard let text = query[key] else { return nil }
            guard let value = CivilDate(iso: text.prefix(10)), value.isValid else { throw ExchangeRequestError(422, "\(key) '\(text)' is not a date (YYYY-MM-DD)") }
            return value
        }
        func price(_ key: String) throws(ExchangeRequestError) -> Price? {
            guard let text = query[key] else { return nil }
            guard let value = Price(text) else { throw ExchangeRequestError(422, "\(key) '\(text)' is not a price") }
            return value
        }
        let on = try date("expiration_date"), from = try date("expiration_date_gte"), to = try date("expiration_date_lte")
        let low = try price("strike_price_gte"), high = try price("strike_price_lte")
        var type: OptionType?
        if let text = query["type"] {
            guard let value = OptionType(rawValue: text) else { throw ExchangeRequestError(422, "type '\(text)' is not call or put") }
            type = value
        }
        let limitText = query["limit"] ?? "100"
        guard let limit = Int(limitText), (1...10_000).contains(limit) else { throw ExchangeRequestError(422, "limit '\(limitText)' must be 1 to 10000") }
        var offset = 0
        if let token = query["page_token"] {
            guard let value = Int(token), value >= 0 else { throw ExchangeRequestError(422, "invalid page_token: \(token)") }
            offset = value
        }
        var underlyings = series.indices.filter { series[$0].instrument.assetClass != .crypto }
        if let names = query["underlying_symbols"] {
            underlyings = try names.split(separator: ",").map { name throws(ExchangeRequestError) in
                guard let instrument = symbols[String(name)] else { throw ExchangeRequestError(422, "unknown underlying symbol \(name)") }
                return instrument.index
            }
        }
        // Every contract is active, American and on its own root.
        let status = query["status"] ?? "active", style = query["style"] ?? "american"
        let matching = underlyings.flatMap(listedContracts).filter { contract in
            status == "active" && style == "american" && (query["root_symbol"].map { $0 == contract.root } ?? true)
                && (on.map { contract.expiration == $0 } ?? true) && (from.map { contract.expiration >= $0 } ?? true)
                && (to.map { contract.expiration <= $0 } ?? true) && (type.map { contract.type == $0 } ?? true)
                && (low.map { contract.strike >= $0 } ?? true) && (high.map { contract.strike <= $0 } ?? true)
        }
        let page = matching.dropFirst(offset).prefix(limit)
        let documents = page.map { contract in
            OptionDocuments.contract(contract, underlyingID: ExchangeDocuments.assetID(symbols[contract.root] ?? InstrumentID(0)),
                                     close: optionMark(contract), on: today)
        }
        let next: Any = offset + page.count < matching.count ? String(offset + page.count) : NSNull()
        return ["option_contracts": documents, "next_page_token": next]
    }

    func optionActivityDocuments(types: String?) -> [[String: Any]] {
        let wanted = types.map { Set($0.split(separator: ",").map(String.init)) }
        return options.activities.filter { wanted?.contains($0.kind.rawValue) ?? true }
            .map { OptionDocuments.activity($0, accountID: ExchangeDocuments.uuid(3, 1)) }
    }

    /// The option routes other than listing, ordering and the contracts list; nil when the
    /// request is not about options.
    func handleOptionRequest(_ method: HTTPRequestSpec.Method, path: String, query: [String: String]) throws -> HTTPResponseSpec? {
        if method == .get, path.hasPrefix("/v2/options/contracts/") {
            let text = symbol(inPath: path.dropFirst("/v2/options/contracts/".count))
            guard let contract = try? OCCSymbol(text), let index = symbols[contract.root]?.index,
                  listedContracts(index).contains(contract) || options.positions[contract] != nil else {
                throw ExchangeRequestError(404, "option contract \(text) not found")
            }
            return ok(OptionDocuments.contract(contract, underlyingID: ExchangeDocuments.assetID(InstrumentID(index)),
                                               close: optionMark(contract), on: today))
        }
        if method == .get, path.hasPrefix("/v2/account/activities/") {
            return ok(optionActivityDocuments(types: String(path.dropFirst("/v2/account/activities/".count))))
        }
        if path.hasPrefix("/v2/orders/"), let index = options.orders.firstIndex(where: { OptionDocuments.orderID($0.number) == path.dropFirst("/v2/orders/".count) }) {
            switch method {
            case .get: return ok(OptionDocuments.order(options.orders[index]))
            case .delete:
                guard options.cancel(index, at: now) else { throw ExchangeRequestError(422, "order is \(options.orders[index].status.rawValue) and cannot be canceled") }
                appendOptionUpdate("canceled", order: options.orders[index], extra: ["timestamp": now.iso8601])
                return HTTPResponseSpec(status: 204)
            default: throw ExchangeRequestError(422, "option orders cannot be replaced; cancel and send a new one")
            }
        }
        guard path.hasPrefix("/v2/positions/") else { return nil }
        var rest = path.dropFirst("/v2/positions/".count)
        let exercising = method == .post && rest.hasSuffix("/exercise")
        if exercising { rest = rest.dropLast("/exercise".count) }
        guard let contract = try? OCCSymbol(symbol(inPath: rest)), symbols[String(rest)] == nil else { return nil }
        if exercising {
            guard now.nanoseconds < OptionPricingModel.expiry(of: contract.expiration).nanoseconds else {
                throw ExchangeRequestError(422, "\(contract) has expired")
            }
            guard let delivery = options.exercise(contract, on: today) else {
                throw ExchangeRequestError(422, "no long position in \(contract) to exercise")
            }
            deliver(delivery, at: now)
            return HTTPResponseSpec(status: 200)
        }
        guard let position = options.positions[contract] else { throw ExchangeRequestError(404, "position does not exist") }
        switch method {
        case .get: return ok(OptionDocuments.position(contract, position: position, mark: optionMark(contract)))
        case .delete:
            // Alpaca's close: a market order for the whole position on the other side.
            let contracts = OptionBook.contracts(position)
            let body: [String: Any] = ["symbol": contract.description, "qty": String(abs(contracts)), "side": contracts > 0 ? "sell" : "buy",
                                       "type": "market", "time_in_force": "day",
                                       "position_intent": contracts > 0 ? "sell_to_close" : "buy_to_close"]
            return ok(try submitOptionOrder(ExchangeDocuments.json(body)))
        default: return nil
        }
    }
}
