extension OptionValuation {
    /// Price and Greeks of a model that has only a price (an approximation), by central differences:
    /// spot by 0.01%, volatility, rate and yield by 1e-4, expiry by a tenth of a day for theta (each
    /// step at most half the value bumped, so nothing goes negative).
    public static func centralDifferences(_ inputs: OptionInputs, price: (OptionInputs) -> Double) -> OptionValuation {
        func at(_ change: (inout OptionInputs) -> Void) -> Double {
            var trial = inputs
            change(&trial)
            return price(trial)
        }
        let p = price(inputs)
        let h = inputs.spot * 1e-4
        let up = at { $0.spot += h }, down = at { $0.spot -= h }
        let dv = min(1e-4, inputs.volatility / 2), dt = min(1.0 / 3650, inputs.expiry / 2)
        let vega = dv > 0 ? (at { $0.volatility += dv } - at { $0.volatility -= dv }) / (2 * dv) : 0
        let theta = dt > 0 ? -(at { $0.expiry += dt } - at { $0.expiry -= dt }) / (2 * dt) : 0
        return OptionValuation(price: p, delta: (up - down) / (2 * h), gamma: (up - 2 * p + down) / (h * h), vega: vega, theta: theta,
                               rho: (at { $0.rate += 1e-4 } - at { $0.rate -= 1e-4 }) / 2e-4,
                               dividendRho: (at { $0.dividend += 1e-4 } - at { $0.dividend -= 1e-4 }) / 2e-4)
    }
}
