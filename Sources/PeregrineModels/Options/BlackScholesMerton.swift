#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// European options under Black-Scholes-Merton with a continuous dividend yield, in closed form.
/// Black-76 on a futures price F is the same formula with spot F and dividend yield equal to the
/// rate (`black76`).
public enum BlackScholesMerton {
    /// Price and Greeks. At expiry (or zero volatility) the option is worth its discounted forward
    /// intrinsic value and the Greeks are those of that limit.
    public static func value(_ type: OptionType, _ inputs: OptionInputs) -> OptionValuation {
        let s = inputs.spot, k = inputs.strike, r = inputs.rate, q = inputs.dividend, t = inputs.expiry, sigma = inputs.volatility
        let discount = exp(-r * t), carry = exp(-q * t)
        let w = type.sign
        let stdDev = sigma * t.squareRoot()
        guard stdDev > 0 else {
            // No uncertainty left: the payoff on the forward, discounted.
            let forward = s * carry / discount
            let inTheMoney = w * (forward - k) > 0
            let price = inTheMoney ? w * (s * carry - k * discount) : 0
            return OptionValuation(price: price, delta: inTheMoney ? w * carry : 0, gamma: 0, vega: 0,
                                   theta: inTheMoney ? w * (q * s * carry - r * k * discount) : 0,
                                   rho: inTheMoney ? w * k * t * discount : 0, dividendRho: inTheMoney ? -w * s * t * carry : 0)
        }
        let d1 = (log(s / k) + (r - q) * t) / stdDev + 0.5 * stdDev
        let d2 = d1 - stdDev
        let nd1 = NormalDistribution.cdf(w * d1), nd2 = NormalDistribution.cdf(w * d2)
        let density = NormalDistribution.pdf(d1)
        let price = w * (s * carry * nd1 - k * discount * nd2)
        let delta = w * carry * nd1
        let gamma = carry * density / (s * stdDev)
        let vega = s * carry * density * t.squareRoot()
        let theta = -s * carry * density * sigma / (2 * t.squareRoot()) + w * (q * s * carry * nd1 - r * k * discount * nd2)
        let rho = w * k * t * discount * nd2
        let dividendRho = -w * s * t * carry * nd1
        return OptionValuation(price: price, delta: delta, gamma: gamma, vega: vega, theta: theta, rho: rho, dividendRho: dividendRho)
    }

    /// An option on a futures price (Black-76): spot is the futures price, which carries at the rate.
    public static func black76(_ type: OptionType, future: Double, strike: Double, volatility: Double, rate: Double,
                               expiry: Double) -> OptionValuation {
        value(type, OptionInputs(spot: future, strike: strike, volatility: volatility, rate: rate, dividend: rate, expiry: expiry))
    }
}
