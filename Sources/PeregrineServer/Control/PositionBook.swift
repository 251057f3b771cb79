import PeregrineCore
import PeregrineStorage

/// Net positions from fills, with their average cost: buys into a long (or sells into a short) move
/// the average; trades that reduce a position keep it; crossing through flat starts a new one at the
/// fill's price. What the broker shows as the average entry price, computed exactly.
struct PositionBook {
    private var quantity: [String: Quantity] = [:]
    private var cost: [String: Money] = [:]
    private var bots: [String: Set<String>] = [:]

    mutating func apply(_ fill: StoredFill, bot: String) {
        let held = quantity[fill.symbol] ?? .zero
        let signed = fill.side == .buy ? fill.quantity : -fill.quantity
        let next = held + signed
        let value = fill.price * fill.quantity
        if held == .zero || (held > .zero) == (signed > .zero) {
            // Saturating at the books' bound, as a value is: a store's figures never trap the server.
            let (sum, overflow) = cost[fill.symbol, default: .zero].units.addingReportingOverflow(value.units)
            if overflow || sum.magnitude > Money.maximum.units.magnitude {
                let positive = overflow ? sum < 0 : sum > 0   // a wrapped sum has the true sum's opposite sign
                cost[fill.symbol] = positive ? Money.maximum : -Money.maximum
            } else {
                cost[fill.symbol] = Money(units: sum)
            }
        } else if next == .zero {
            cost[fill.symbol] = .zero
        } else if (next > .zero) != (held > .zero) {
            cost[fill.symbol] = fill.price * (next > .zero ? next : -next)
        } else {
            // Reduced: the remaining quantity keeps the average cost.
            cost[fill.symbol] = cost[fill.symbol, default: .zero].proportion(next > .zero ? next : -next, of: held > .zero ? held : -held)
        }
        quantity[fill.symbol] = next
        bots[fill.symbol, default: []].insert(bot)
    }

    func views(marks: [String: Price]) -> [PositionView] {
        quantity.filter { $0.value != .zero }.keys.sorted().map { symbol in
            let held = quantity[symbol]!
            let size = held > .zero ? held : -held
            let average = Self.averagePrice(cost[symbol, default: .zero], size)
            let mark = marks[symbol]
            let marketValue = mark.map { held > .zero ? $0 * size : -($0 * size) }
            let entryValue = held > .zero ? cost[symbol, default: .zero] : -cost[symbol, default: .zero]
            return PositionView(symbol: symbol, quantity: held.description, averageCost: average.description,
                                lastPrice: mark?.description, marketValue: marketValue?.description,
                                unrealizedPnl: marketValue.map { ($0 - entryValue).description }, bots: bots[symbol, default: []].sorted())
        }
    }

    /// Cost per one unit held, exactly (to Money's 18 decimals, toward zero). The quotient is an
    /// average of fill prices, so it fits however large the cost.
    static func averagePrice(_ cost: Money, _ size: Quantity) -> Money {
        let magnitude = cost.units < 0 ? -cost.units : cost.units
        let wide = magnitude.multipliedFullWidth(by: Quantity.scale)
        let quotient = size.units.dividingFullWidth((high: wide.high, low: wide.low)).quotient
        return Money(units: cost.units < 0 ? -quotient : quotient)
    }
}
