import PeregrineCore

/// Pre-trade checks every order passes before it reaches a venue: a size and value the books can
/// hold, no accidental short when shorting is off, and no buy beyond buying power. Each refusal
/// carries a reason code.
public struct OrderChecks: Hashable, Sendable {
    public var allowShort: Bool
    /// Buying power as a multiple of cash: 1 is a cash account, 2 Reg-T overnight margin.
    public var buyingPowerMultiple: Int

    public init(allowShort: Bool = false, buyingPowerMultiple: Int = 1) {
        self.allowShort = allowShort
        self.buyingPowerMultiple = buyingPowerMultiple
    }

    /// The largest value one order may have at its reference price: 10^15 in the account's currency,
    /// beyond any real order, and far enough inside the books' range (`Money.maximum`) that fills,
    /// cash and marks never leave it. A size from a model that ran away is refused here, not booked.
    public static let maximumOrderValue = Money(units: 1_000_000_000_000_000 * Money.scale)

    /// - Parameter referencePrice: the latest price, to estimate a market order's cost.
    public func check(_ request: OrderRequest, position: Quantity, pendingSell: Quantity, pendingBuyCost: Money,
                      referencePrice: Price?, cash: Money) -> Rejection? {
        guard request.quantity.isInRange else {
            return Rejection(.invalidQuantity, "size \(request.quantity) is beyond the largest quantity \(Quantity.maximum)")
        }
        if let price = request.limitPrice ?? referencePrice ?? request.stopPrice {
            let value = price.magnitudeValue(of: request.quantity)
            if value.map({ $0 > OrderChecks.maximumOrderValue }) ?? true {
                return Rejection(.invalidQuantity,
                    "\(request.quantity) at about \(price) is worth \(value.map { $0.formatted() } ?? "more than the books hold"), "
                    + "beyond the largest order value \(OrderChecks.maximumOrderValue.formatted(places: 0))")
            }
        }
        let opensOrAdds = request.orderClass != .oco
        if request.side == .sell && !allowShort && opensOrAdds {
            let after = position - pendingSell - request.quantity
            if after.units < 0 {
                return Rejection(.shortingDisabled,
                    "selling \(request.quantity) with position \(position) and \(pendingSell) already pending would go short")
            }
        }
        if request.side == .buy && position.units >= 0, let price = request.limitPrice ?? referencePrice {
            let cost = price * request.quantity
            let power = Money(units: cash.units * Int128(buyingPowerMultiple)) - pendingBuyCost
            if cost > power {
                return Rejection(.insufficientBuyingPower,
                    "buying \(request.quantity) at about \(price) costs \(cost.formatted()) but buying power is \(power.formatted())")
            }
        }
        return nil
    }
}
