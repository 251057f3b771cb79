/// What an option's price depends on: the underlying's spot, the strike, the volatility of the
/// underlying's log returns (annualized), the continuously compounded risk-free rate and dividend
/// yield, and the time to expiry in years (Actual/365: an expiry N days away is N / 365).
public struct OptionInputs: Hashable, Sendable {
    public var spot: Double
    public var strike: Double
    public var volatility: Double
    public var rate: Double
    public var dividend: Double
    public var expiry: Double

    public init(spot: Double, strike: Double, volatility: Double, rate: Double = 0, dividend: Double = 0, expiry: Double) {
        self.spot = spot
        self.strike = strike
        self.volatility = volatility
        self.rate = rate
        self.dividend = dividend
        self.expiry = expiry
    }

    /// Why the inputs cannot be priced, or nil: every number finite, spot and strike positive,
    /// volatility and expiry not negative.
    public var problem: String? {
        for (name, value) in [("spot", spot), ("strike", strike), ("volatility", volatility), ("rate", rate),
                              ("dividend", dividend), ("expiry", expiry)] where !value.isFinite {
            return "\(name) \(value) is not a finite number"
        }
        if spot <= 0 { return "spot \(spot) must be positive" }
        if strike <= 0 { return "strike \(strike) must be positive" }
        if volatility < 0 { return "volatility \(volatility) must not be negative" }
        if expiry < 0 { return "expiry \(expiry) years must not be negative" }
        return nil
    }
}
