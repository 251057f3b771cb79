import PeregrineCore

/// Pre-trade checks every order passes before it reaches a venue: no accidental short when
/// shorting is off, and no buy beyond buying power. Each refusal carries a reason code.
public struct OrderChecks: Hashable, Sendable {
    public var allowShort: Bool
    /// Buying power as a multiple of cash: 1 is a cash account, 2 Reg-T overnight margin.
    public var buyingPowerMultiple: Int

    public init(allowShort: Bool = false, buyingPowerMultiple: Int = 1) {
        self.allowShort = allowShort
        self.buyingPowerMultiple = buyingPowerMultiple
    }

    /// - Parameter referencePrice: the latest price, to estimate a market order's cost.
    public func check(_ request: OrderRequest, position: Quantity, pendingSell: Quantity, pendingBuyCost: Money,
                      referencePrice: Price?, cash: Money) -> Rejection? {
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
