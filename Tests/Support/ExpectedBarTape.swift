import Foundation

/// The quote and trade the local exchange derives from a bar, computed independently of it, in
/// decimal arithmetic, from the rule `peregrine exchange --help` states: the trade at the close,
/// the quote one basis point either side of it (rounded down to the tick, at least one tick, the
/// bid never below zero), sizes a tenth of the volume (rounded down to the lot, at least one lot).
public enum ExpectedBarTape {
    public static func quote(close: String, volume: String, tick: String, lot: String) -> (bid: String, ask: String, size: String) {
        func floor(_ value: Decimal, _ step: Decimal) -> Decimal {
            var quotient = value / step, whole = Decimal()
            NSDecimalRound(&whole, &quotient, 0, .down)
            return whole * step
        }
        let c = Decimal(string: close)!, t = Decimal(string: tick)!, l = Decimal(string: lot)!
        let half = max(floor(c / 10_000, t), t)
        let size = max(floor(Decimal(string: volume)! / 10, l), l)
        return (max(c - half, 0).description, (c + half).description, size.description)
    }
}
