/// A call (the right to buy at the strike) or a put (the right to sell).
public enum OptionType: String, Sendable, CaseIterable {
    case call
    case put

    /// +1 for a call, -1 for a put: the sign of the payoff's slope in the underlying.
    public var sign: Double { self == .call ? 1 : -1 }

    /// What exercising is worth at `spot`.
    public func intrinsic(spot: Double, strike: Double) -> Double { max(0, sign * (spot - strike)) }
}
