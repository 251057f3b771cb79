#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// American options by the Bjerksund-Stensland approximations: the value of exercising the first
/// time the underlying reaches a boundary, a lower bound of the American price, in closed form.
/// The 1993 version uses one flat boundary up to expiry (QuantLib's
/// BjerksundStenslandApproximationEngine); the 2002 version splits the life at t1 = (sqrt 5 - 1) T / 2
/// into two flat boundaries, which needs the bivariate normal and lands nearer the tree. A put is the
/// call with spot and strike swapped, the rate replaced by the yield and the yield by the rate
/// (Bjerksund and Stensland's put-call transformation). Both are lower bounds of the American price,
/// as is the European price, so the price is the largest of the three (and of exercising now), as in
/// QuantLib. Neither version is always the nearer: the 2002 one is in most cases, but with a high
/// volatility and a long life its two boundaries can do worse than the 1993 one.
public enum BjerksundStensland {
    public enum Version: String, Sendable, CaseIterable {
        case flatBoundary1993 = "1993"
        case twoStep2002 = "2002"
    }

    /// The price. With a positive yield on the (transformed) call, beta is real and above 1 for any
    /// rate; the guards returning NaN only catch inputs that are not finite.
    public static func price(_ type: OptionType, _ inputs: OptionInputs, version: Version = .twoStep2002) -> Double {
        let european = BlackScholesMerton.value(type, inputs).price
        let intrinsic = type.intrinsic(spot: inputs.spot, strike: inputs.strike)
        guard inputs.expiry > 0, inputs.volatility > 0 else { return max(european, intrinsic) }
        // The put-call transformation: P(S, K, r, q) = C(K, S, q, r).
        let call = type == .call ? inputs
            : OptionInputs(spot: inputs.strike, strike: inputs.spot, volatility: inputs.volatility, rate: inputs.dividend,
                           dividend: inputs.rate, expiry: inputs.expiry)
        // Never exercised early when carrying the underlying costs nothing (b = r - q >= r).
        guard call.dividend > 0 else { return european }
        let value = version == .flatBoundary1993 ? callFlatBoundary(call) : callTwoStep(call)
        return value.isFinite ? max(value, european, intrinsic) : .nan
    }

    /// Price and Greeks, the Greeks by central differences of the approximation.
    public static func value(_ type: OptionType, _ inputs: OptionInputs, version: Version = .twoStep2002) -> OptionValuation {
        OptionValuation.centralDifferences(inputs) { price(type, $0, version: version) }
    }

    /// What both versions share: beta, the exponent of the perpetual option's value S^beta, and the
    /// boundary's ends, B0 at expiry and B-infinity for an option that never expires.
    private struct Boundary {
        let beta: Double, start: Double, infinite: Double

        init?(_ inputs: OptionInputs) {
            let r = inputs.rate, b = inputs.rate - inputs.dividend, variance = inputs.volatility * inputs.volatility
            let discriminant = (b / variance - 0.5) * (b / variance - 0.5) + 2 * r / variance
            guard discriminant >= 0 else { return nil }
            beta = (0.5 - b / variance) + discriminant.squareRoot()
            guard beta > 1 else { return nil }
            infinite = beta / (beta - 1) * inputs.strike
            start = max(inputs.strike, r / (r - b) * inputs.strike)
        }
    }

    /// The 1993 call: exercise at the flat boundary I = B0 + (Binf - B0)(1 - e^h(T)).
    static func callFlatBoundary(_ inputs: OptionInputs) -> Double {
        guard let boundary = Boundary(inputs) else { return .nan }
        let s = inputs.spot, k = inputs.strike, t = inputs.expiry, sigma = inputs.volatility, b = inputs.rate - inputs.dividend
        let h = -(b * t + 2 * sigma * t.squareRoot()) * boundary.start / (boundary.infinite - boundary.start)
        let trigger = boundary.start + (boundary.infinite - boundary.start) * (1 - exp(h))
        guard s < trigger else { return s - k }
        let alpha = (trigger - k) * pow(trigger, -boundary.beta)
        let phi = { (gamma: Double, level: Double) in Self.phi(inputs, spot: s, time: t, gamma: gamma, level: level, trigger: trigger) }
        return alpha * pow(s, boundary.beta) - alpha * phi(boundary.beta, trigger) + phi(1, trigger) - phi(1, k) - k * phi(0, trigger)
            + k * phi(0, k)
    }

    /// The 2002 call: boundary I1 until t1 = (sqrt 5 - 1) T / 2, then I2 until expiry.
    static func callTwoStep(_ inputs: OptionInputs) -> Double {
        guard let boundary = Boundary(inputs) else { return .nan }
        let s = inputs.spot, k = inputs.strike, t = inputs.expiry, sigma = inputs.volatility, b = inputs.rate - inputs.dividend
        let t1 = 0.5 * (5.0.squareRoot() - 1) * t
        let scale = k * k / ((boundary.infinite - boundary.start) * boundary.start)
        let h1 = -(b * t1 + 2 * sigma * t1.squareRoot()) * scale
        let h2 = -(b * t + 2 * sigma * t.squareRoot()) * scale
        let i1 = boundary.start + (boundary.infinite - boundary.start) * (1 - exp(h1))
        let i2 = boundary.start + (boundary.infinite - boundary.start) * (1 - exp(h2))
        guard s < i2 else { return s - k }
        let beta = boundary.beta
        let alpha1 = (i1 - k) * pow(i1, -beta), alpha2 = (i2 - k) * pow(i2, -beta)
        let phi = { (gamma: Double, level: Double, trigger: Double) in
            Self.phi(inputs, spot: s, time: t1, gamma: gamma, level: level, trigger: trigger)
        }
        let psi = { (gamma: Double, level: Double) in Self.psi(inputs, spot: s, gamma: gamma, level: level, i1: i1, i2: i2, t1: t1) }
        return alpha2 * pow(s, beta) - alpha2 * phi(beta, i2, i2) + phi(1, i2, i2) - phi(1, i1, i2) - k * phi(0, i2, i2)
            + k * phi(0, i1, i2) + alpha1 * phi(beta, i1, i2) - alpha1 * psi(beta, i1) + psi(1, i1) - psi(1, k) - k * psi(0, i1)
            + k * psi(0, k)
    }

    /// phi(S, T, gamma, H, I): the value of S^gamma paid at T if the underlying stays below I until
    /// then and ends below H, discounted.
    private static func phi(_ inputs: OptionInputs, spot s: Double, time t: Double, gamma: Double, level h: Double, trigger i: Double) -> Double {
        let r = inputs.rate, b = inputs.rate - inputs.dividend, sigma = inputs.volatility, variance = sigma * sigma
        let lambda = (-r + gamma * b + 0.5 * gamma * (gamma - 1) * variance) * t
        let stdDev = sigma * t.squareRoot()
        let d = -(log(s / h) + (b + (gamma - 0.5) * variance) * t) / stdDev
        let kappa = 2 * b / variance + 2 * gamma - 1
        return exp(lambda) * pow(s, gamma)
            * (NormalDistribution.cdf(d) - pow(i / s, kappa) * NormalDistribution.cdf(d - 2 * log(i / s) / stdDev))
    }

    /// psi: the same over two periods, below I1 until t1 and below I2 from t1 to T.
    private static func psi(_ inputs: OptionInputs, spot s: Double, gamma: Double, level h: Double, i1: Double, i2: Double, t1: Double) -> Double {
        let r = inputs.rate, b = inputs.rate - inputs.dividend, t = inputs.expiry, sigma = inputs.volatility, variance = sigma * sigma
        let drift = b + (gamma - 0.5) * variance
        let short = sigma * t1.squareRoot(), long = sigma * t.squareRoot()
        let e1 = (log(s / i1) + drift * t1) / short, e2 = (log(i2 * i2 / (s * i1)) + drift * t1) / short
        let e3 = (log(s / i1) - drift * t1) / short, e4 = (log(i2 * i2 / (s * i1)) - drift * t1) / short
        let f1 = (log(s / h) + drift * t) / long, f2 = (log(i2 * i2 / (s * h)) + drift * t) / long
        let f3 = (log(i1 * i1 / (s * h)) + drift * t) / long, f4 = (log(s * i1 * i1 / (h * i2 * i2)) + drift * t) / long
        let rho = (t1 / t).squareRoot()
        let lambda = -r + gamma * b + 0.5 * gamma * (gamma - 1) * variance
        let kappa = 2 * b / variance + 2 * gamma - 1
        let m = BivariateNormalDistribution.cdf
        return exp(lambda * t) * pow(s, gamma)
            * (m(-e1, -f1, rho) - pow(i2 / s, kappa) * m(-e2, -f2, rho) - pow(i1 / s, kappa) * m(-e3, -f3, -rho)
                + pow(i1 / i2, kappa) * m(-e4, -f4, -rho))
    }
}
