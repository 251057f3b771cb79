/// A price with its sensitivities, in QuantLib's conventions: delta and gamma per unit of the
/// underlying, vega per 1.00 of volatility (so per 1% is vega / 100), theta per year of calendar
/// time (`thetaPerDay` is theta / 365), rho and dividend rho per 1.00 of the rate or yield.
public struct OptionValuation: Hashable, Sendable {
    public var price: Double
    public var delta: Double
    public var gamma: Double
    public var vega: Double
    public var theta: Double
    public var rho: Double
    public var dividendRho: Double

    public var thetaPerDay: Double { theta / 365 }

    public init(price: Double, delta: Double, gamma: Double, vega: Double, theta: Double, rho: Double, dividendRho: Double) {
        self.price = price
        self.delta = delta
        self.gamma = gamma
        self.vega = vega
        self.theta = theta
        self.rho = rho
        self.dividendRho = dividendRho
    }
}
