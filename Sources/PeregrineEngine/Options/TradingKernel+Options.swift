import PeregrineCore
import PeregrineModels

extension TradingKernel {
    /// Before an underlying's bar reaches the venue: its contracts that expired before the bar's
    /// day are settled at its last close (exercise and assignment booked as stock fills at the
    /// strike), then its working option orders fill at the model's price on the bar's open, with the
    /// volatility of the closes before it, as stock orders fill at the open (no look-ahead).
    ///
    /// With a broker behind the venue the broker fills and settles: its reports come in through
    /// `bookOptionFill`, `endOptionOrder` and `bookOptionSettlement` instead.
    func settleAndFillOptions(instrument i: Int, bar: Bar) {
        guard !(venue is BrokerVenue), var options = state.options else { return }
        let root = state.instruments[i].symbol
        let seen = state.visible[i]
        if seen > 0 {
            let day = CivilDate(daysSinceEpoch: bar.timestamp.nanoseconds.floorDivided(by: Timestamp.nanosPerDay))
            let deliveries = options.settle(root: root, before: day, close: state.marks[i], at: bar.timestamp)
            state.options = options
            for delivery in deliveries {
                book(Fill(orderID: OrderID(-options.activities.count), clientOrderID: "option-delivery-\(options.activities.count)",
                          instrument: InstrumentID(i), side: delivery.side, quantity: delivery.shares, price: delivery.price,
                          commission: .zero, timestamp: bar.timestamp))
            }
        }
        let working = options.working(root: root)
        guard !working.isEmpty else { return }
        let volatility = state.optionVolatility(i, closes: seen)
        for index in working {
            let prices = options.orders[index].legs.map {
                state.optionPricing.price($0.contract, spot: bar.open, volatility: volatility, at: bar.timestamp)
            }
            _ = options.fill(index, legPrices: prices, at: bar.timestamp)
        }
        state.options = options
    }
}

/// What a broker reports of the strategy's option orders and positions (the trading runtime calls
/// these), booked into the same option book a backtest keeps.
extension TradingKernel {
    /// The option book, nil before the first option order or adopted position.
    public var optionBook: OptionBook? { state.options }

    /// The broker filled option order `clientOrderID` whole, each leg at its price per share (in
    /// the order's leg order). Returns whether the book took it (false for an unknown or no longer
    /// working order, or a leg count that does not match).
    @discardableResult
    public func bookOptionFill(clientOrderID: String, legPrices: [Price], at time: Timestamp) -> Bool {
        guard var options = state.options, let index = options.index(clientOrderID: clientOrderID) else { return false }
        let filled = options.fill(index, legPrices: legPrices, at: time)
        state.options = options
        return filled
    }

    /// The broker ended option order `clientOrderID` without a fill (canceled, expired, rejected).
    public func endOptionOrder(clientOrderID: String, as status: OrderStatus, at time: Timestamp) {
        guard var options = state.options, let index = options.index(clientOrderID: clientOrderID) else { return }
        options.end(index, as: status, at: time)
        state.options = options
    }

    /// The broker exercised, assigned or expired the held position in `contract` (an OPEXC, OPASN
    /// or OPEXP activity): the position is closed and the stock it delivers booked as a fill at the
    /// strike, stamped `time`, as a backtest books it. Returns that fill; nil for an expiry or when
    /// no position was held (a report read twice books nothing).
    @discardableResult
    public func bookOptionSettlement(_ contract: OCCSymbol, kind: OptionActivity.Kind, on date: CivilDate, at time: Timestamp) -> Fill? {
        guard var options = state.options, let i = state.underlying(of: contract) else { return nil }
        let delivery = options.settle(contract, as: kind, on: date)
        state.options = options
        guard let delivery, delivery.shares.units > 0 else { return nil }
        let fill = Fill(orderID: OrderID(-options.activities.count), clientOrderID: "option-delivery-\(options.activities.count)",
                        instrument: InstrumentID(i), side: delivery.side, quantity: delivery.shares, price: delivery.price,
                        commission: .zero, timestamp: time)
        book(fill)
        return fill
    }

    /// An option order of an earlier run still working at the broker (restart): taken into the book
    /// as working, renumbered, so its fill is booked and the strategy sees it waiting. False for a
    /// contract on no instrument of the run.
    @discardableResult
    public func adoptOptionOrder(clientOrderID: String, quantity: Int, legs: [OptionOrder.Leg], submittedAt: Timestamp) -> Bool {
        guard !legs.isEmpty, legs.allSatisfy({ state.underlying(of: $0.contract) != nil }) else { return false }
        var options = state.options ?? OptionBook()
        options.add(OptionOrder(number: options.orders.count + 1, clientOrderID: clientOrderID, quantity: quantity, type: .market,
                                timeInForce: .day, limitPrice: nil, isMultiLeg: legs.count > 1, legs: legs, submittedAt: submittedAt))
        state.options = options
        return true
    }

    /// A position the broker holds in `contract` from before this run (restart): taken into the book
    /// at its average price. False for a contract on no instrument of the run.
    @discardableResult
    public func adoptOptionPosition(_ contract: OCCSymbol, contracts: Int, averagePrice: Price) -> Bool {
        guard state.underlying(of: contract) != nil else { return false }
        var options = state.options ?? OptionBook()
        options.adopt(contract, contracts: contracts, averagePrice: averagePrice)
        state.options = options
        return true
    }
}
