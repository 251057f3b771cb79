import PeregrineCore

/// The position-aware gate between a signal and an order (DESIGN.md): BUY when flat buys,
/// BUY when long holds, SELL when long sells to flat, SELL when flat is rejected unless shorting
/// is enabled, HOLD holds. A BUY when short covers to flat. A signal in the direction of an
/// order still pending holds, so a strategy that repeats its signal never doubles its position.
public struct DecisionGate: Hashable, Sendable {
    public var allowShort: Bool

    public init(allowShort: Bool = false) { self.allowShort = allowShort }

    public enum Verdict: Hashable, Sendable {
        /// Send an order; `reason` says which rule applied (`openLong`, `closeLong`, ...).
        case order(side: OrderSide, quantity: Quantity, reason: DecisionReason)
        case hold(reason: DecisionReason)
        case reject(Rejection)
    }

    /// - Parameters:
    ///   - requested: the size to open with (ignored when closing: closing takes the whole position).
    ///   - position: current signed position.
    ///   - pendingBuy / pendingSell: unfilled quantity of working entry orders.
    public func evaluate(_ action: SignalAction, requested: Quantity, position: Quantity,
                         pendingBuy: Quantity, pendingSell: Quantity) -> Verdict {
        switch action {
        case .hold:
            return .hold(reason: .signalHold)
        case .buy:
            if pendingBuy.units > 0 { return .hold(reason: .buyPending) }
            if position.units > 0 { return .hold(reason: .alreadyLong) }
            if position.units < 0 { return .order(side: .buy, quantity: position.magnitude, reason: .closeShort) }
            guard requested.units > 0 else {
                return .reject(Rejection(.invalidQuantity, "buy signal sized to \(requested)"))
            }
            return .order(side: .buy, quantity: requested, reason: .openLong)
        case .sell:
            if pendingSell.units > 0 { return .hold(reason: .sellPending) }
            if position.units > 0 { return .order(side: .sell, quantity: position, reason: .closeLong) }
            if position.units < 0 { return .hold(reason: .alreadyShort) }
            guard allowShort else {
                return .reject(Rejection(.shortingDisabled, "sell signal while flat and shorting is disabled"))
            }
            guard requested.units > 0 else {
                return .reject(Rejection(.invalidQuantity, "sell signal sized to \(requested)"))
            }
            return .order(side: .sell, quantity: requested, reason: .openShort)
        }
    }
}
