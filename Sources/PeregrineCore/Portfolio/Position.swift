/// A netting position in one instrument: long or short, with exact cost basis and realized P&L.
/// The cost basis of what is still open carries the position's sign, so
/// `unrealized = quantity * mark - costBasis` holds for longs and shorts alike.
public struct Position: Hashable, Sendable {
    public private(set) var quantity: Quantity = .zero
    /// Signed cost of the open quantity.
    public private(set) var costBasis: Money = .zero
    public private(set) var realizedPnL: Money = .zero

    public init() {}

    @inlinable public var isFlat: Bool { quantity.units == 0 }
    @inlinable public var isLong: Bool { quantity.units > 0 }
    @inlinable public var isShort: Bool { quantity.units < 0 }

    /// Average entry price of the open quantity, rounded to the nano grid.
    public var averagePrice: Price? {
        guard quantity.units != 0 else { return nil }
        return Price(units: Int64(costBasis.units / Int128(quantity.units)))
    }

    /// Profit of the open quantity if it were closed at `mark`.
    @inlinable public func unrealizedPnL(at mark: Price) -> Money { mark * quantity - costBasis }

    /// A split: `numerator` shares for every `denominator` (each from 1 to 10^6), the cost of the
    /// position unchanged, so its average price divides by the ratio. Returns the part of the new
    /// quantity beyond the lot grid (signed as the position), which the caller settles as cash in
    /// lieu, as brokers do, by closing it at the post-split price.
    public mutating func split(numerator: Int64, denominator: Int64, lot: Quantity) -> Quantity {
        guard quantity.units != 0 else { return .zero }
        // |quantity| <= 10^30 units and numerator <= 10^6: the product stays inside 128 bits.
        quantity = Quantity(units: quantity.units * Int128(numerator) / Int128(denominator))
        return quantity - quantity.rounded(downToLot: lot)
    }

    /// Applies a trade of `signedQuantity` (positive buys) at `price`; returns the P&L it realized.
    /// A trade larger than the open position closes it and opens the other side with the rest.
    @discardableResult
    public mutating func apply(signedQuantity: Quantity, price: Price) -> Money {
        guard signedQuantity.units != 0 else { return .zero }
        if quantity.units == 0 || (quantity.units > 0) == (signedQuantity.units > 0) {
            quantity += signedQuantity
            costBasis += price * signedQuantity
            return .zero
        }
        let closingMagnitude = min(signedQuantity.magnitude, quantity.magnitude)
        let closing = signedQuantity.units > 0 ? closingMagnitude : -closingMagnitude
        let closedCost = costBasis.proportion(closingMagnitude, of: quantity.magnitude)
        let realized = -(price * closing) - closedCost
        costBasis -= closedCost
        quantity += closing
        realizedPnL += realized
        let remainder = signedQuantity - closing
        if remainder.units != 0 {
            quantity += remainder
            costBasis += price * remainder
        }
        if quantity.units == 0 { costBasis = .zero }
        return realized
    }
}
