import PeregrineCore
import PeregrineEngine
import PeregrineStorage

/// The sleeves' books when a multi-strategy deployment starts: each sleeve holds what its own
/// stored fills (known by the tag in their client order ids) add up to, and the broker's cash is
/// split so each sleeve's equity, its positions at cost included, comes as near its weight as
/// its positions allow.
public enum SleeveOpening {
    /// The sleeve whose tag a client order id carries (`PREFIX-TAG-N`, a group's legs `...-N-sl`).
    static func sleeve(of clientOrderID: String, tags: [String]) -> Int? {
        tags.firstIndex { clientOrderID.contains("-\($0)-") }
    }

    /// Per sleeve, its positions from the store's fills. Every position the broker holds in a
    /// traded symbol must be the sum of the sleeves' (otherwise nobody's books would own the rest).
    public static func holdings(fills: [StoredFill], tags: [String], symbols: [String],
                         broker: [(InstrumentID, Quantity, Price)]) throws -> [[(InstrumentID, Quantity, Price)]] {
        let index = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($0.element, $0.offset) })
        var positions = Array(repeating: Array(repeating: Position(), count: symbols.count), count: tags.count)
        for fill in fills.sorted(by: { $0.timestamp < $1.timestamp }) {
            guard let i = index[fill.symbol], let k = sleeve(of: fill.clientOrderID, tags: tags) else { continue }
            positions[k][i].apply(signedQuantity: fill.side == .buy ? fill.quantity : -fill.quantity, price: fill.price)
        }
        for i in symbols.indices {
            let held = broker.first { $0.0.index == i }?.1 ?? .zero
            let attributed = positions.reduce(Quantity.zero) { $0 + $1[i].quantity }
            guard held == attributed else {
                throw TradingRuntimeError("\(symbols[i]): the broker holds \(held), the sleeves' stored fills add up to \(attributed); "
                                          + "close the difference or trade it without [trade.portfolio]")
            }
        }
        return positions.map { sleeve in
            sleeve.enumerated().compactMap { i, position in
                position.isFlat ? nil : (InstrumentID(i), position.quantity, position.averagePrice ?? .zero)
            }
        }
    }

    /// The opening books: with no positions, the cash split by the weights as a backtest splits it;
    /// otherwise the cash goes to the sleeves short of their weight of the account's equity at cost,
    /// in proportion to the shortfall (to the cent, the remainder to the last of them).
    public static func accounts(cash: Money, holdings: [[(InstrumentID, Quantity, Price)]], weights: [Double], instrumentCount: Int) -> [Account] {
        let atCost = holdings.map { $0.reduce(Money.zero) { $0 + $1.2 * $1.1 } }
        let total = (cash + atCost.reduce(.zero, +)).doubleValue
        let shortfall = zip(weights, atCost).map { max(0, $0 * total - $1.doubleValue) }
        let wanted = shortfall.reduce(0, +)
        var shares = Array(repeating: Money.zero, count: weights.count)
        if atCost.allSatisfy({ $0 == .zero }) {
            shares = CapitalTransfers.split(cash, weights: weights)  // as a backtest starts
        } else if cash > .zero, let last = shortfall.indices.last(where: { shortfall[$0] > 0 }) {
            var handed = Money.zero
            for k in shortfall.indices where k != last && shortfall[k] > 0 {
                shares[k] = min(CapitalTransfers.cents(cash.doubleValue * shortfall[k] / wanted, rounding: .down), cash - handed)
                handed += shares[k]
            }
            shares[last] = cash - handed
        } else {
            shares[shares.count - 1] = cash
        }
        return holdings.indices.map { Account(cash: shares[$0], holdings: holdings[$0], instrumentCount: instrumentCount) }
    }
}
