import PeregrineCore
import PeregrineModels

/// An option order (on the local exchange or in a backtest): one contract (a simple order) or an `mleg` order of 2 to
/// 4 legs that fill together or not at all. Quantities are whole contracts (100 shares each);
/// prices are per share. An mleg order's limit and fill price are the net of its legs per unit of
/// the order (a leg counts its ratio times its price, bought legs paid, sold legs received):
/// positive is a debit, negative a credit, as Alpaca reads them.
public struct OptionOrder: Sendable {
    public struct Leg: Sendable {
        public var contract: OCCSymbol
        public var ratio: Int
        public var side: OrderSide
        public var intent: String?
        public var fillPrice: Price?

        public init(contract: OCCSymbol, ratio: Int, side: OrderSide, intent: String? = nil) {
            self.contract = contract
            self.ratio = ratio
            self.side = side
            self.intent = intent
        }
    }

    public var number: Int
    public var clientOrderID: String
    public var quantity: Int
    public var type: OrderType
    public var timeInForce: TimeInForce
    public var limitPrice: Price?
    public var isMultiLeg: Bool
    public var legs: [Leg]
    public var status: OrderStatus = .accepted
    public var submittedAt: Timestamp
    public var updatedAt: Timestamp
    public var fillPrice: Price?
    /// The session day a day order lives on: the day it was sent, or, sent after that day's close,
    /// the next session the underlying trades (nil until that session's first bar).
    public var sessionDay: Int64?
    /// The session day of the underlying's latest bar when the order was sent (nil: no bar yet).
    public var sentOnDay: Int64?
    /// Options buying power the order holds while it works (its premium and the collateral its
    /// positions would need), given back when it fills, is canceled or expires.
    public var reservedBuyingPower: Money = .zero

    public init(number: Int, clientOrderID: String, quantity: Int, type: OrderType, timeInForce: TimeInForce, limitPrice: Price?,
                isMultiLeg: Bool, legs: [Leg], submittedAt: Timestamp) {
        self.number = number
        self.clientOrderID = clientOrderID
        self.quantity = quantity
        self.type = type
        self.timeInForce = timeInForce
        self.limitPrice = limitPrice
        self.isMultiLeg = isMultiLeg
        self.legs = legs
        self.submittedAt = submittedAt
        self.updatedAt = submittedAt
    }

    /// Binds a day order to its session from the underlying's latest bar when it is sent: that
    /// bar's day, or after its close the next session's.
    public mutating func bindDay(sentAt position: SessionPosition?) {
        guard timeInForce == .day, let position else { return }
        sentOnDay = position.day
        sessionDay = position.isAfterClose ? nil : position.day
    }

    /// Whether a day order has outlived its session at a bar of the underlying in `session`: it
    /// binds to the first session after the one it was sent in when it was sent after a close, and
    /// expires at the first bar of a later session than its own, as a stock day order does.
    public mutating func outlivesDay(at session: SessionPosition) -> Bool {
        guard timeInForce == .day else { return false }
        guard let day = sessionDay else {
            if session.day > (sentOnDay ?? .min) { sessionDay = session.day }
            return false
        }
        return session.day > day
    }

    /// The underlying every leg is on (an mleg order's legs share one).
    public var root: String { legs[0].contract.root }

    /// The order's price per unit at these leg prices: a single contract's own price, an mleg
    /// order's net (debit positive).
    public func net(_ prices: [Price]) -> Price {
        guard isMultiLeg else { return prices[0] }
        var total = Int64(0)
        for (leg, price) in zip(legs, prices) {
            let signed = price.units.multipliedReportingOverflow(by: Int64(leg.ratio))
            total = total &+ (leg.side == .buy ? signed.partialValue : -signed.partialValue)
        }
        return Price(units: total)
    }

    /// Whether the order trades at this price per unit: a market order always; a limit buy at or
    /// below its limit, a limit sell at or above it; an mleg limit when the net debit is at most
    /// the limit (the net credit at least its negative).
    public func accepts(_ net: Price) -> Bool {
        guard type == .limit, let limit = limitPrice else { return true }
        if isMultiLeg { return net <= limit }
        return legs[0].side == .buy ? net <= limit : net >= limit
    }
}
