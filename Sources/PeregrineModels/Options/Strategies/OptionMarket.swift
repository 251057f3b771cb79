/// The underlying's market that every leg of a strategy shares: spot, annualized volatility, and
/// the continuously compounded rate and dividend yield.
public struct OptionMarket: Hashable, Sendable {
    public var spot: Double
    public var volatility: Double
    public var rate: Double
    public var dividend: Double

    public init(spot: Double, volatility: Double, rate: Double = 0, dividend: Double = 0) {
        self.spot = spot
        self.volatility = volatility
        self.rate = rate
        self.dividend = dividend
    }

    /// The inputs of an option on this market.
    public func inputs(strike: Double, expiry: Double, spot: Double? = nil) -> OptionInputs {
        OptionInputs(spot: spot ?? self.spot, strike: strike, volatility: volatility, rate: rate, dividend: dividend, expiry: expiry)
    }
}
