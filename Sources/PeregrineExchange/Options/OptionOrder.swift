import PeregrineCore
import PeregrineModels

/// An option order on the local exchange: one contract (a simple order) or an `mleg` order of 2 to
/// 4 legs that fill together or not at all. Quantities are whole contracts (100 shares each);
/// prices are per share. An mleg order's limit and fill price are the net of its legs per unit of
/// the order (a leg counts its ratio times its price, bought legs paid, sold legs received):
/// positive is a debit, negative a credit, as Alpaca reads them.
struct OptionOrder: Sendable {
    struct Leg: Sendable {
        var contract: OCCSymbol
        var ratio: Int
        var side: OrderSide
        var intent: String?
        var fillPrice: Price?
    }

    var number: Int
    var clientOrderID: String
    var quantity: Int
    var type: OrderType
    var timeInForce: TimeInForce
    var limitPrice: Price?
    var isMultiLeg: Bool
    var legs: [Leg]
    var status: OrderStatus = .accepted
    var submittedAt: Timestamp
    var updatedAt: Timestamp
    var fillPrice: Price?

    /// The underlying every leg is on (an mleg order's legs share one).
    var root: String { legs[0].contract.root }

    /// The order's price per unit at these leg prices: a single contract's own price, an mleg
    /// order's net (debit positive).
    func net(_ prices: [Price]) -> Price {
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
    func accepts(_ net: Price) -> Bool {
        guard type == .limit, let limit = limitPrice else { return true }
        if isMultiLeg { return net <= limit }
        return legs[0].side == .buy ? net <= limit : net >= limit
    }
}
