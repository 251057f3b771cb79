#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// American options by the quadratic approximation of Barone-Adesi and Whaley (1987): the European
/// price plus an early-exercise premium A (S / S*)^q, where S* is the critical price beyond which
/// exercising at once is best. S* is found by Newton's method on the smooth-pasting condition to
/// full double precision. A call on an underlying that pays nothing (dividend yield <= 0) is never
/// exercised early and is the European price.
public enum BaroneAdesiWhaley {
    /// The price. `stoppingTolerance` 0 runs Newton's method on the critical price until its step
    /// vanishes; a positive one stops, as the paper does, once |exercise - holding| / K is below it
    /// (QuantLib's engine stops at 1e-6, which moves prices by up to about 2e-5).
    public static func price(_ type: OptionType, _ inputs: OptionInputs, stoppingTolerance: Double = 0) -> Double {
        let european = BlackScholesMerton.value(type, inputs).price
        let s = inputs.spot, k = inputs.strike, t = inputs.expiry, sigma = inputs.volatility
        guard t > 0, sigma > 0 else { return max(european, type.intrinsic(spot: s, strike: k)) }
        if type == .call && inputs.dividend <= 0 { return european }
        let variance = sigma * sigma * t
        let riskFreeDiscount = exp(-inputs.rate * t), dividendDiscount = exp(-inputs.dividend * t)
        let n = 2 * (inputs.rate - inputs.dividend) / (sigma * sigma)
        let m = riskFreeDiscount < 1 ? 2 * inputs.rate / (sigma * sigma * (1 - riskFreeDiscount)) : 2 / variance
        let w = type.sign
        let q = (-(n - 1) + w * ((n - 1) * (n - 1) + 4 * m).squareRoot()) / 2
        // The perpetual option's exponent (m at T = infinity), for the search's seed.
        let perpetual = (-(n - 1) + w * ((n - 1) * (n - 1) + 8 * inputs.rate / (sigma * sigma)).squareRoot()) / 2
        let critical = criticalPrice(type, inputs, q: q, perpetualQ: perpetual, variance: variance, dividendDiscount: dividendDiscount,
                                     stoppingTolerance: stoppingTolerance)
        if w * (s - critical) >= 0 { return type.intrinsic(spot: s, strike: k) }
        let d1 = (log(critical / k) + (inputs.rate - inputs.dividend) * t) / variance.squareRoot() + 0.5 * variance.squareRoot()
        let premium = w * (critical / q) * (1 - dividendDiscount * NormalDistribution.cdf(w * d1))
        return european + premium * pow(s / critical, q)
    }

    /// The critical price S*: where exercising (w (S - K)) equals holding, the European value plus
    /// w (1 - e^(-qT) N(w d1(S))) S / q, with equal slopes.
    static func criticalPrice(_ type: OptionType, _ inputs: OptionInputs, q: Double, perpetualQ: Double, variance: Double,
                              dividendDiscount: Double, stoppingTolerance: Double) -> Double {
        let k = inputs.strike, w = type.sign, sd = variance.squareRoot()
        // The paper's seed: the perpetual option's boundary, moved toward the strike for a finite life.
        let carry = (inputs.rate - inputs.dividend) * inputs.expiry
        let infinite = k / (1 - 1 / perpetualQ)
        var spot = type == .call
            ? k + (infinite - k) * (1 - exp(-(carry + 2 * sd) * k / (infinite - k)))
            : infinite + (k - infinite) * exp((carry - 2 * sd) * k / (k - infinite))
        for _ in 0..<200 {
            var trial = inputs
            trial.spot = spot
            let european = BlackScholesMerton.value(type, trial)
            let d1 = (log(spot / k) + (inputs.rate - inputs.dividend) * inputs.expiry) / sd + 0.5 * sd
            let cdf = NormalDistribution.cdf(w * d1)
            // f(S) = w (S - K) - V(S) - w (1 - e^(-qT) N(w d1)) S / q, and its derivative.
            let f = w * (spot - k) - european.price - w * (1 - dividendDiscount * cdf) * spot / q
            if stoppingTolerance > 0 && abs(f) / k <= stoppingTolerance { return spot }
            let slope = w - european.delta - w * (1 - dividendDiscount * cdf) / q
                + dividendDiscount * NormalDistribution.pdf(d1) / (sd * q)
            guard slope != 0, slope.isFinite else { break }
            let next = spot - f / slope
            guard next > 0, next.isFinite else { break }
            if abs(next - spot) <= 1e-13 * spot { return next }
            spot = next
        }
        return spot
    }
}

extension BaroneAdesiWhaley {
    /// Price and Greeks, the Greeks by central differences of the approximation.
    public static func value(_ type: OptionType, _ inputs: OptionInputs) -> OptionValuation {
        OptionValuation.centralDifferences(inputs) { price(type, $0) }
    }
}
