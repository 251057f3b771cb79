import PeregrineCore

/// The volatility at which a model price equals a quoted one: Newton's method on vega, kept inside
/// a bracket that always holds the root, with bisection-like Brent steps where Newton would leave
/// it or stall. A price outside the no-arbitrage bounds has no implied volatility and is refused.
public enum ImpliedVolatility {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The implied volatility of a European option quoted at `price` (`inputs.volatility` is ignored),
    /// to `tolerance` in price. Bounds: a call is worth between max(0, S e^(-qT) - K e^(-rT)) and
    /// S e^(-qT); a put between max(0, K e^(-rT) - S e^(-qT)) and K e^(-rT).
    public static func solve(_ type: OptionType, price: Double, inputs: OptionInputs, tolerance: Double = 1e-15) throws(Failure) -> Double {
        if let problem = inputs.problem { throw Failure(description: problem) }
        guard price.isFinite else { throw Failure(description: "price \(price) is not a finite number") }
        guard inputs.expiry > 0 else { throw Failure(description: "an option at expiry has no implied volatility") }
        let s = inputs.spot * Foundationless.exp(-inputs.dividend * inputs.expiry)
        let k = inputs.strike * Foundationless.exp(-inputs.rate * inputs.expiry)
        let lower = max(0, type == .call ? s - k : k - s)
        let upper = type == .call ? s : k
        guard price > lower, price < upper else {
            throw Failure(description: "price \(price) is outside the no-arbitrage bounds (\(lower), \(upper)) of this \(type.rawValue)")
        }
        func model(_ sigma: Double) -> OptionValuation {
            var trial = inputs
            trial.volatility = sigma
            return BlackScholesMerton.value(type, trial)
        }
        var low = 1e-9, high = 1.0
        while model(high).price < price {
            high *= 2
            guard high < 1e4 else { throw Failure(description: "no volatility up to 10000 reaches price \(price)") }
        }
        var sigma = 0.5 * (low + high)
        for _ in 0..<200 {
            let valuation = model(sigma)
            let difference = valuation.price - price
            if abs(difference) <= tolerance * max(1, price) { return sigma }
            if difference > 0 { high = sigma } else { low = sigma }
            var next = sigma - difference / valuation.vega
            if !(next > low && next < high) || valuation.vega < 1e-12 {
                // Outside the bracket or flat: a secant through the bracket's ends, else its middle.
                let fLow = model(low).price - price, fHigh = model(high).price - price
                next = fHigh != fLow ? low - fLow * (high - low) / (fHigh - fLow) : 0.5 * (low + high)
                if !(next > low && next < high) { next = 0.5 * (low + high) }
            }
            if abs(next - sigma) <= 1e-16 * max(1, sigma) { return next }
            sigma = next
        }
        return sigma
    }
}
