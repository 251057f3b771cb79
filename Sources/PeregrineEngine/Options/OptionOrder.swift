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
