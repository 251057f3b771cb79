import PeregrineCore
import PeregrineEngine

/// One instrument's grid: the price lines, and for each line the buy resting on it, the quantity it
/// bought and the sell resting one line above for that quantity.
struct GridLadder {
    let lines: [Price]
    var buys: [OrderID?]
    var sells: [OrderID?]
    /// Quantity bought on each line and not yet sold.
    var held: [Quantity]

    /// `count` lines evenly from `lower` to `upper`, on the tick grid.
    init(lower: Double, upper: Double, count: Int, tick: Price) {
        let step = (upper - lower) / Double(count - 1)
        lines = (0..<count).map { Price(approximating: lower + Double($0) * step).rounded(toTick: tick, up: false) }
        buys = Array(repeating: nil, count: count)
        sells = Array(repeating: nil, count: count)
        held = Array(repeating: .zero, count: count)
    }

    var lower: Price { lines[0] }
    var upper: Price { lines[lines.count - 1] }
    var isFlat: Bool { held.allSatisfy(\.isZero) && sells.allSatisfy { $0 == nil } }
    var working: [OrderID] { buys.compactMap { $0 } + sells.compactMap { $0 } }
}
