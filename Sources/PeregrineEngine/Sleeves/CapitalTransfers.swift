import PeregrineCore

/// The cash a rebalance moves between sleeves, exact to the unit. Each sleeve's target is its
/// weight of the total equity (to the nearest cent). A sleeve above its target gives what it can in cash:
/// the excess, or all its cash when the excess sits in positions (the rest follows as those close
/// and the next rebalance comes). Sleeves below their target share what was given in proportion to
/// their shortfall (rounded down to the cent), the remainder to the last of them. The transfers sum to exactly zero.
public enum CapitalTransfers {
    public static func plan(equity: [Money], cash: [Money], weights: [Double]) -> [Money] {
        precondition(equity.count == weights.count && cash.count == weights.count)
        let total = equity.reduce(Money.zero, +)
        var transfers = Array(repeating: Money.zero, count: weights.count)
        guard total > .zero else { return transfers }
        let shortfall = weights.indices.map { k in cents(weights[k] * total.doubleValue) - equity[k] }
        var given = Money.zero
        for k in weights.indices where shortfall[k] < .zero {
            let excess = -shortfall[k]
            let free = max(cash[k], .zero)
            transfers[k] = -min(excess, free)
            given -= transfers[k]
        }
        let receivers = weights.indices.filter { shortfall[$0] > .zero }
        guard given > .zero, let last = receivers.last else { return Array(repeating: .zero, count: weights.count) }
        let wanted = receivers.reduce(0.0) { $0 + shortfall[$1].doubleValue }
        var handed = Money.zero
        for k in receivers.dropLast() {
            let share = min(cents(given.doubleValue * shortfall[k].doubleValue / wanted, rounding: .down), given - handed)
            transfers[k] = share
            handed += share
        }
        transfers[last] = given - handed
        return transfers
    }

    /// `total` split by `weights`, each share to the nearest cent, the remainder to the last.
    public static func split(_ total: Money, weights: [Double]) -> [Money] {
        var shares = weights.dropLast().map { cents($0 * total.doubleValue) }
        shares.append(total - shares.reduce(.zero, +))
        return shares
    }

    /// A non-negative amount to the cent, the nearest unless told (doubles carry the weights, so 0.5 × 200,000 may
    /// arrive as 99,999.99999999999).
    public static func cents(_ value: Double, rounding: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Money {
        guard value.isFinite, value > 0 else { return .zero }
        return Money(units: Int128((value * 100).rounded(rounding)) * (Money.scale / 100))
    }
}
