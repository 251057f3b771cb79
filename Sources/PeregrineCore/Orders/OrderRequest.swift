/// What a strategy asks for: everything Alpaca's order endpoint accepts, before a venue has seen it.
public struct OrderRequest: Hashable, Sendable {
    public var instrument: InstrumentID
    public var side: OrderSide
    /// Always positive; the side gives the direction.
    public var quantity: Quantity
    public var type: OrderType
    public var timeInForce: TimeInForce
    public var limitPrice: Price?
    public var stopPrice: Price?
    public var trail: TrailingOffset?
    public var orderClass: OrderClass
    /// Take-profit limit price of a bracket, OCO or OTO.
    public var takeProfit: Price?
    /// Stop-loss trigger of a bracket, OCO or OTO.
    public var stopLoss: Price?
    /// Optional limit for the stop-loss leg, making it a stop-limit.
    public var stopLossLimit: Price?
    /// Durable id chosen by the client; one is assigned when absent.
    public var clientOrderID: String?

    @inlinable
    public init(
        instrument: InstrumentID, side: OrderSide, quantity: Quantity, type: OrderType = .market,
        timeInForce: TimeInForce = .day, limitPrice: Price? = nil, stopPrice: Price? = nil,
        trail: TrailingOffset? = nil, orderClass: OrderClass = .simple, takeProfit: Price? = nil,
        stopLoss: Price? = nil, stopLossLimit: Price? = nil, clientOrderID: String? = nil
    ) {
        self.instrument = instrument
        self.side = side
        self.quantity = quantity
        self.type = type
        self.timeInForce = timeInForce
        self.limitPrice = limitPrice
        self.stopPrice = stopPrice
        self.trail = trail
        self.orderClass = orderClass
        self.takeProfit = takeProfit
        self.stopLoss = stopLoss
        self.stopLossLimit = stopLossLimit
        self.clientOrderID = clientOrderID
    }

    @inlinable
    public static func market(_ instrument: InstrumentID, _ side: OrderSide, _ quantity: Quantity,
                              timeInForce: TimeInForce = .day) -> OrderRequest {
        OrderRequest(instrument: instrument, side: side, quantity: quantity, timeInForce: timeInForce)
    }

    @inlinable
    public static func limit(_ instrument: InstrumentID, _ side: OrderSide, _ quantity: Quantity, _ price: Price,
                             timeInForce: TimeInForce = .gtc) -> OrderRequest {
        OrderRequest(instrument: instrument, side: side, quantity: quantity, type: .limit, timeInForce: timeInForce,
                     limitPrice: price)
    }

    @inlinable
    public static func stop(_ instrument: InstrumentID, _ side: OrderSide, _ quantity: Quantity, _ price: Price,
                            timeInForce: TimeInForce = .gtc) -> OrderRequest {
        OrderRequest(instrument: instrument, side: side, quantity: quantity, type: .stop, timeInForce: timeInForce,
                     stopPrice: price)
    }

    /// Checks the request against Alpaca's rules and the instrument's grids. `nil` means acceptable.
    public func validate(for instrumentSpec: Instrument) -> Rejection? {
        validate(lotSize: instrumentSpec.lotSize, tickSize: instrumentSpec.tickSize)
    }

    /// `validate(for:)` with the instrument's two grids only, which a venue reads without copying
    /// the instrument (its strings) on every order.
    public func validate(lotSize: Quantity, tickSize: Price) -> Rejection? {
        if quantity.units <= 0 {
            return Rejection(.invalidQuantity, "quantity must be positive, got \(quantity)")
        }
        if lotSize.units > 1, quantity.units % lotSize.units != 0 {
            return Rejection(.invalidQuantity, "quantity \(quantity) is not a multiple of the lot size \(lotSize)")
        }
        // The common order, a simple market order without prices, has nothing more to check.
        if type == .market && orderClass == .simple && limitPrice == nil && stopPrice == nil && trail == nil
            && takeProfit == nil && stopLoss == nil && stopLossLimit == nil {
            return nil
        }
        func checkPrice(_ price: Price?, _ name: String) -> Rejection? {
            guard let price else { return Rejection(.invalidOrder, "\(type) order needs a \(name)") }
            if price.units <= 0 { return Rejection(.invalidPrice, "\(name) must be positive, got \(price)") }
            if tickSize.units > 1, price.units % tickSize.units != 0 {
                return Rejection(.invalidPrice, "\(name) \(price) is not on the tick grid \(tickSize)")
            }
            return nil
        }
        // Takes whether the value is present rather than the value as `Any?`: boxing three optionals
        // into existentials cost hundreds of instructions on every order.
        func mustBeAbsent(_ present: Bool, _ name: String) -> Rejection? {
            present ? Rejection(.invalidOrder, "\(type) order must not have a \(name)") : nil
        }
        let priceProblem: Rejection?
        // An OCO's prices are its two legs' (take-profit limit, stop-loss stop), checked with the legs.
        switch orderClass == .oco ? .market : type {
        case .market:
            priceProblem = orderClass == .oco ? nil : mustBeAbsent(limitPrice != nil, "limit price")
                ?? mustBeAbsent(stopPrice != nil, "stop price") ?? mustBeAbsent(trail != nil, "trail")
        case .limit:
            priceProblem = checkPrice(limitPrice, "limit price") ?? mustBeAbsent(stopPrice != nil, "stop price")
                ?? mustBeAbsent(trail != nil, "trail")
        case .stop:
            priceProblem = checkPrice(stopPrice, "stop price") ?? mustBeAbsent(limitPrice != nil, "limit price")
                ?? mustBeAbsent(trail != nil, "trail")
        case .stopLimit:
            priceProblem = checkPrice(stopPrice, "stop price") ?? checkPrice(limitPrice, "limit price")
                ?? mustBeAbsent(trail != nil, "trail")
        case .trailingStop:
            if let trail, trail.isPositive {
                priceProblem = mustBeAbsent(limitPrice != nil, "limit price") ?? mustBeAbsent(stopPrice != nil, "stop price")
            } else {
                priceProblem = Rejection(.invalidOrder, "trailing stop needs a positive trail price or a percent below 100")
            }
        }
        if let priceProblem { return priceProblem }

        switch timeInForce {
        case .opg, .cls:
            if type != .market && type != .limit {
                return Rejection(.unsupportedTimeInForce, "\(timeInForce) works with market and limit orders only")
            }
        case .ioc, .fok:
            if type == .trailingStop {
                return Rejection(.unsupportedTimeInForce, "trailing stops take day or gtc, not \(timeInForce)")
            }
        case .day, .gtc:
            break
        }
        return validateLegs(tickSize: tickSize)
    }

    private func validateLegs(tickSize: Price) -> Rejection? {
        func onGrid(_ price: Price, _ name: String) -> Rejection? {
            if price.units <= 0 { return Rejection(.invalidPrice, "\(name) must be positive, got \(price)") }
            if tickSize.units > 1, price.units % tickSize.units != 0 {
                return Rejection(.invalidPrice, "\(name) \(price) is not on the tick grid \(tickSize)")
            }
            return nil
        }
        switch orderClass {
        case .simple:
            if takeProfit != nil || stopLoss != nil || stopLossLimit != nil {
                return Rejection(.invalidOrder, "a simple order has no take-profit or stop-loss; use bracket, oco or oto")
            }
            return nil
        case .bracket, .oco, .oto:
            if timeInForce != .day && timeInForce != .gtc {
                return Rejection(.unsupportedTimeInForce, "\(orderClass) orders take day or gtc, not \(timeInForce)")
            }
            if orderClass == .bracket && (takeProfit == nil || stopLoss == nil) {
                return Rejection(.invalidOrder, "a bracket needs both a take-profit and a stop-loss")
            }
            if orderClass == .oco && (takeProfit == nil || stopLoss == nil) {
                return Rejection(.invalidOrder, "an OCO needs both a take-profit and a stop-loss")
            }
            if orderClass == .oco && type != .limit {
                return Rejection(.invalidOrder, "an OCO's first leg is its take-profit limit order; type must be limit")
            }
            if orderClass == .oto && (takeProfit == nil) == (stopLoss == nil) {
                return Rejection(.invalidOrder, "an OTO needs exactly one of take-profit or stop-loss")
            }
            if orderClass != .oco && type != .market && type != .limit {
                return Rejection(.invalidOrder, "a \(orderClass) entry must be a market or limit order")
            }
            if stopLossLimit != nil && stopLoss == nil {
                return Rejection(.invalidOrder, "a stop-loss limit needs a stop-loss price")
            }
            if let tp = takeProfit, let problem = onGrid(tp, "take-profit") { return problem }
            if let sl = stopLoss, let problem = onGrid(sl, "stop-loss") { return problem }
            if let sll = stopLossLimit, let problem = onGrid(sll, "stop-loss limit") { return problem }
            if let tp = takeProfit, let sl = stopLoss {
                // For a long entry (buy) the exits sell: profit above, stop below. For OCO the legs
                // themselves are the exits, so their side is this request's side.
                let exitIsSell = orderClass == .oco ? side == .sell : side == .buy
                if exitIsSell ? tp <= sl : tp >= sl {
                    return Rejection(.invalidPrice, "take-profit \(tp) and stop-loss \(sl) are on the wrong sides of each other")
                }
            }
            return nil
        }
    }
}
