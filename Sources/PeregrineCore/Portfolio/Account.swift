/// The books: cash, one netting position per instrument, commissions and realized P&L, all exact.
/// Every fill moves cash by exactly its notional and commission, and a dividend by exactly its
/// amount, so `equity - initialCash - transfers == realized + unrealized - commissions` to the
/// last unit.
public struct Account: Hashable, Sendable {
    public let initialCash: Money
    public private(set) var cash: Money
    public private(set) var positions: [Position]
    public private(set) var commissionsPaid: Money = .zero
    public private(set) var realizedPnL: Money = .zero
    /// Total traded value, both sides; turnover is this over average equity.
    public private(set) var tradedNotional: Money = .zero
    public private(set) var fillCount: Int = 0
    /// Dividends received (paid, when short) and cash in lieu of fractional shares after splits.
    /// Dividends are income: they count in realized P&L as well.
    public private(set) var corporateActionCash: Money = .zero
    /// Net cash moved in from other books (a multi-strategy portfolio moving capital between its
    /// sleeves); neither profit nor loss.
    public private(set) var transfers: Money = .zero

    public init(cash: Money, instrumentCount: Int) {
        self.initialCash = cash
        self.cash = cash
        self.positions = Array(repeating: Position(), count: instrumentCount)
    }

    /// Books that start with positions held elsewhere (a broker's, found on restart): cash as given,
    /// each position at its average entry price. Initial equity is cash plus the positions at cost.
    public init(cash: Money, holdings: [(instrument: InstrumentID, quantity: Quantity, averagePrice: Price)], instrumentCount: Int) {
        var positions = Array(repeating: Position(), count: instrumentCount)
        var atCost = Money.zero
        for holding in holdings {
            positions[holding.instrument.index].apply(signedQuantity: holding.quantity, price: holding.averagePrice)
            atCost += holding.averagePrice * holding.quantity
        }
        self.initialCash = cash + atCost
        self.cash = cash
        self.positions = positions
    }

    @inlinable public func position(_ instrument: InstrumentID) -> Position { positions[instrument.index] }

    /// Books a fill; returns the P&L it realized.
    @discardableResult
    public mutating func apply(_ fill: Fill) -> Money {
        let signed = fill.signedQuantity
        cash -= fill.price * signed
        cash -= fill.commission
        commissionsPaid += fill.commission
        tradedNotional += fill.notional
        fillCount += 1
        let realized = positions[fill.instrument.index].apply(signedQuantity: signed, price: fill.price)
        realizedPnL += realized
        return realized
    }

    /// A split of `instrument` effective now: the position scaled by the ratio at unchanged cost; a
    /// part beyond the lot grid is sold at `price` (the post-split reference price) for cash in
    /// lieu, realizing its share of the cost. Returns the realized P&L of that sale.
    @discardableResult
    public mutating func split(_ instrument: InstrumentID, numerator: Int64, denominator: Int64, lot: Quantity, price: Price) -> Money {
        let fraction = positions[instrument.index].split(numerator: numerator, denominator: denominator, lot: lot)
        guard fraction.units != 0 else { return .zero }
        let proceeds = price * fraction
        cash += proceeds
        corporateActionCash += proceeds
        let realized = positions[instrument.index].apply(signedQuantity: -fraction, price: price)
        realizedPnL += realized
        return realized
    }

    /// A cash dividend of `perShare` on its ex-date: received on a long position, paid on a short
    /// one. Returns the cash moved (signed).
    @discardableResult
    public mutating func payDividend(_ instrument: InstrumentID, perShare: Price) -> Money {
        let amount = perShare * positions[instrument.index].quantity
        cash += amount
        corporateActionCash += amount
        realizedPnL += amount
        return amount
    }

    /// Moves `amount` of cash into these books (out, when negative) from another book of the same
    /// account: the capital changes, the P&L does not.
    public mutating func transfer(_ amount: Money) {
        cash += amount
        transfers += amount
    }

    /// Market value of all positions at `marks` (one price per instrument, by index).
    public func positionsValue(marks: [Price]) -> Money {
        var total = Money.zero
        for (index, position) in positions.enumerated() where !position.isFlat {
            total += marks[index] * position.quantity
        }
        return total
    }

    public func equity(marks: [Price]) -> Money { cash + positionsValue(marks: marks) }

    public func unrealizedPnL(marks: [Price]) -> Money {
        var total = Money.zero
        for (index, position) in positions.enumerated() where !position.isFlat {
            total += position.unrealizedPnL(at: marks[index])
        }
        return total
    }
}
