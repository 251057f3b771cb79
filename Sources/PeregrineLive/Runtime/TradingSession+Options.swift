import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineModels
import PeregrineStorage

/// The strategy's option orders through the broker, kept as stock orders are: each stored as an
/// intent before it leaves (its exact body, marked sent, then acknowledged with the broker's id),
/// each fill stored before the book hears of it. A single contract goes out as an order on its OCC
/// symbol (quantity in contracts), several legs as one `mleg` order. Fills are asked over REST every
/// turn (the trading stream passes over mleg orders), booked per leg at the broker's price per share.
/// Exercises, assignments and expiries come from the account's activities; the shares they deliver
/// are booked as stock fills, as a backtest books them.
extension TradingSession {
    /// Option positions the broker already held (a restart) join the book before the warm-up, as
    /// stock holdings join the account; this deployment's option orders still working join it as
    /// working, asked about every turn like the run's own.
    func adoptBrokerOptions() {
        for holding in brokerOptions.holdings {
            if kernel.adoptOptionPosition(holding.contract, contracts: holding.contracts, averagePrice: holding.averagePrice) {
                log("adopted option position \(holding.contract) \(holding.contracts) contracts @ \(holding.averagePrice)")
            } else {
                log("option position \(holding.contract) left out: this bot does not trade \(holding.contract.root) or takes no options")
            }
        }
        for order in brokerOptions.orders {
            if kernel.adoptOptionOrder(clientOrderID: order.clientOrderID, quantity: order.quantity, legs: order.legs, submittedAt: order.submittedAt) {
                optionBrokerIDs[order.clientOrderID] = order.brokerID
                log("adopted working option order \(order.clientOrderID) (\(order.quantity) x \(order.legs.map { "\($0.side) \($0.contract)" }))")
            }
        }
    }

    /// An mleg order's body: each leg with its ratio, side and position intent (from its side when
    /// the strategy gave none).
    func multiLegBody(_ order: OptionOrder) throws -> AlpacaMultiLegOrderBody {
        try AlpacaMultiLegOrderBody(quantity: order.quantity, legs: order.legs.map { leg in
            (leg.contract, leg.ratio, leg.side,
             leg.intent.flatMap(AlpacaMultiLegOrderBody.PositionIntent.init(rawValue:)) ?? (leg.side == .buy ? .buyToOpen : .sellToOpen))
        }, clientOrderID: order.clientOrderID)
    }

    /// A single-contract option order as the client's order request: quantity in contracts.
    func singleOptionRequest(_ order: OptionOrder) -> OrderRequest {
        OrderRequest(instrument: InstrumentID(0), side: order.legs[0].side, quantity: Quantity(order.quantity), type: order.type,
                     timeInForce: order.timeInForce, limitPrice: order.limitPrice, clientOrderID: order.clientOrderID)
    }

    /// Sends one option order at most once, stored as an intent first: the row names the contract
    /// (a single order) or the underlying (an mleg order, whose side is its first leg's; the body
    /// holds every leg), its quantity in contracts.
    func sendOption(_ order: OptionOrder) async throws {
        let clientOrderID = order.clientOrderID
        let legs = order.legs.map { "\($0.side) \($0.ratio) \($0.contract)" }.joined(separator: ", ")
        if settings.dryRun {
            kernel.endOptionOrder(clientOrderID: clientOrderID, as: .rejected, at: kernel.now)
            log("dry run: would send option order \(order.quantity) x [\(legs)] [\(clientOrderID)]")
            return
        }
        let multiLeg = order.isMultiLeg ? try multiLegBody(order) : nil
        let contract = order.legs[0].contract.description
        let body = multiLeg?.json() ?? AlpacaOrderBody(singleOptionRequest(order), symbol: contract).json()
        let now = WallClock.now()
        if let store, let runID {
            try store.recordIntent(OrderIntent(clientOrderID: clientOrderID, runID: runID,
                                               symbol: order.isMultiLeg ? order.root : contract,
                                               side: order.legs[0].side, quantity: Quantity(order.quantity), type: order.type,
                                               body: String(decoding: body, as: UTF8.self)), at: now)
            try store.advance(clientOrderID, to: .sent, at: now)
        }
        settings.crashPoints.pass(.afterIntent)
        do {
            let brokerID: String, status: OrderStatus
            if let multiLeg {
                let sent = try await broker.submit(multiLeg)
                (brokerID, status) = (sent.id, sent.status)
            } else {
                let sent = try await broker.submit(singleOptionRequest(order), symbol: contract)
                (brokerID, status) = (sent.id, sent.status)
            }
            settings.crashPoints.pass(.afterSubmit)
            try store?.advance(clientOrderID, to: .acknowledged, brokerOrderID: brokerID, status: status.rawValue, at: WallClock.now())
            optionBrokerIDs[clientOrderID] = brokerID
            report.ordersSent += 1
            log("sent option order \(order.quantity) x [\(legs)] [\(clientOrderID)] -> \(status)")
        } catch let error as AlpacaAPIError {
            try store?.advance(clientOrderID, to: .rejected, detail: error.description, at: WallClock.now())
            kernel.endOptionOrder(clientOrderID: clientOrderID, as: .rejected, at: kernel.now)
            report.brokerRejections += 1
            log("broker refused option order \(order.quantity) x [\(legs)] [\(clientOrderID)]: \(error)")
        }
    }

    /// At stop: asks the broker to cancel the working option orders it acknowledged (a refusal because
    /// one already filled or is gone is logged; the next look brings its final state). Returns how
    /// many cancels were sent.
    func cancelWorkingOptionOrders() async throws -> Int {
        guard let book = kernel.optionBook else { return 0 }
        var sent = 0
        for order in book.orders where order.status.isWorking {
            guard let brokerID = optionBrokerIDs[order.clientOrderID] else { continue }
            do {
                try await broker.cancel(orderID: brokerID)
                sent += 1
            } catch let error as AlpacaAPIError where error.status == 422 || error.status == 404 {
                log("cancel of option order \(order.clientOrderID) refused: \(error.message)")
            }
        }
        return sent
    }

    /// Asks the broker about every working option order it acknowledged: a fill is stored (a row
    /// per leg) and booked; an order that ended otherwise leaves the book's working orders.
    func askAboutWorkingOptionOrders() async throws {
        guard let book = kernel.optionBook else { return }
        for order in book.orders where order.status.isWorking {
            guard let brokerID = optionBrokerIDs[order.clientOrderID] else { continue }
            if order.isMultiLeg {
                guard let current = try await broker.multiLegOrder(clientOrderID: order.clientOrderID) else { continue }
                let prices = order.legs.map { leg in current.legs.first { $0.contract == leg.contract }?.filledAveragePrice }
                try applyOption(order, status: current.status, legPrices: prices, filledAt: current.filledAt, brokerID: brokerID)
            } else {
                guard let current = try await broker.order(clientOrderID: order.clientOrderID) else { continue }
                try applyOption(order, status: current.status, legPrices: [current.filledAveragePrice], filledAt: current.filledAt,
                                brokerID: brokerID)
            }
        }
    }

    /// The broker's word on one option order. Only a whole fill is booked (the local exchange fills
    /// option orders whole; a partial fill waits for the rest).
    func applyOption(_ order: OptionOrder, status: OrderStatus, legPrices: [Price?], filledAt: Timestamp?, brokerID: String) throws {
        if status == .filled {
            let prices = legPrices.compactMap { $0 }
            guard prices.count == order.legs.count else {
                log("option order \(order.clientOrderID) filled without a price for every leg; asked again next turn")
                return
            }
            let time = filledAt ?? kernel.now
            for (k, leg) in order.legs.enumerated() {
                let contracts = Quantity(order.quantity * leg.ratio)
                settings.crashPoints.pass(.beforeFillRecord)
                _ = try store?.recordFill(StoredFill(executionID: "\(brokerID):leg\(k + 1)", clientOrderID: order.clientOrderID, timestamp: time,
                                                     symbol: leg.contract.description, side: leg.side, quantity: contracts, price: prices[k],
                                                     multiplier: OptionBook.multiplier))
                log("fill \(leg.contract) \(leg.side) \(contracts) contracts @ \(prices[k]) [\(order.clientOrderID)]")
                telemetry?.publish(.fill(bot: botName, time: time, clientOrderID: order.clientOrderID, symbol: leg.contract.description,
                                         side: leg.side, quantity: contracts, price: prices[k]))
            }
            kernel.bookOptionFill(clientOrderID: order.clientOrderID, legPrices: prices, at: time)
            try store?.updateStatus(order.clientOrderID, to: status.rawValue, at: WallClock.now())
        } else if status.isTerminal {
            kernel.endOptionOrder(clientOrderID: order.clientOrderID, as: status, at: kernel.now)
            try store?.updateStatus(order.clientOrderID, to: status.rawValue, at: WallClock.now())
            log("option order \(order.clientOrderID) \(status)")
        }
    }

    /// Before new bars reach the strategy: when a held contract's expiration is behind the first new
    /// bar of its underlying, the account's option activities are read and each exercise, assignment
    /// or expiry of a held contract is booked, stamped with that bar's time (a backtest settles on
    /// the first bar of a day after the expiration). The store gets an order row named after the
    /// activity with a fill closing the contracts at zero (so its positions follow the broker's) and,
    /// when shares are delivered, their fill at the strike.
    func settleExpiredOptions(_ arrived: [(instrument: Int, bar: Bar)]) async throws {
        guard let book = kernel.optionBook, !book.positions.isEmpty else { return }
        var firstBar: [String: Timestamp] = [:]
        for item in arrived where firstBar[symbols[item.instrument]] == nil { firstBar[symbols[item.instrument]] = item.bar.timestamp }
        func day(_ time: Timestamp) -> CivilDate { CivilDate(daysSinceEpoch: time.nanoseconds.floorDivided(by: Timestamp.nanosPerDay)) }
        let due = Set(book.positions.keys.filter { contract in firstBar[contract.root].map { day($0) > contract.expiration } ?? false })
        guard !due.isEmpty else { return }
        for activity in try await broker.optionActivities() {
            guard let kind = OptionActivity.Kind(rawValue: activity.type), kind != .trade,
                  let contract = try? OCCSymbol(activity.symbol), due.contains(contract), let time = firstBar[contract.root],
                  let held = kernel.optionBook?.positions[contract] else { continue }
            let contracts = OptionBook.contracts(held)
            let fill = kernel.bookOptionSettlement(contract, kind: kind, on: activity.date, at: time)
            log("\(kind.description.lowercased()) of \(contract) (\(contracts) contracts) booked"
                + (fill.map { ": \($0.side) \($0.quantity) \(contract.root) @ \($0.price)" } ?? ""))
            guard let store, let runID, contracts != 0 else { continue }
            let clientOrderID = "\(venue.clientOrderPrefix)-\(activity.type.lowercased())-\(activity.id)"
            let closing: OrderSide = contracts > 0 ? .sell : .buy
            let body = "{\"activity_id\":\"\(activity.id)\",\"activity_type\":\"\(activity.type)\",\"symbol\":\"\(contract)\"}"
            try store.recordIntent(OrderIntent(clientOrderID: clientOrderID, runID: runID, symbol: contract.description, side: closing,
                                               quantity: Quantity(abs(contracts)), type: .market, body: body), at: WallClock.now())
            try store.advance(clientOrderID, to: .acknowledged, brokerOrderID: activity.id, status: OrderStatus.filled.rawValue, at: WallClock.now())
            _ = try store.recordFill(StoredFill(executionID: "activity:\(activity.id)", clientOrderID: clientOrderID, timestamp: time,
                                                symbol: contract.description, side: closing, quantity: Quantity(abs(contracts)), price: .zero,
                                                multiplier: OptionBook.multiplier))
            if let fill {
                _ = try store.recordFill(StoredFill(executionID: "activity:\(activity.id):shares", clientOrderID: clientOrderID, timestamp: time,
                                                    symbol: contract.root, side: fill.side, quantity: fill.quantity, price: fill.price))
            }
        }
    }
}
