#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options on a recombining binomial tree, with early exercise checked at every node for American
/// ones. Two trees: Cox-Ross-Rubinstein (up = e^(sigma sqrt dt), probability from the carry) and
/// Leisen-Reimer (probabilities from the Peizer-Pratt inversion of d1 and d2 on an odd number of
/// steps), which converges to the continuous price much faster.
public struct BinomialTree: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case coxRossRubinstein = "crr"
        case leisenReimer = "leisen-reimer"
    }

    public var kind: Kind
    /// Steps (Leisen-Reimer rounds an even count up to the next odd one).
    public var steps: Int

    public init(kind: Kind, steps: Int) {
        self.kind = kind
        self.steps = kind == .leisenReimer && steps % 2 == 0 ? steps + 1 : steps
    }

    /// The price; `american` allows exercise at any node.
    public func price(_ type: OptionType, _ inputs: OptionInputs, american: Bool) -> Double {
        valueGrid(type, inputs, american: american).price
    }

    /// Price and Greeks: delta and gamma from the tree's first two steps, theta from the
    /// Black-Scholes equation at the root (theta = rV - (r - q)S delta - sigma^2 S^2 gamma / 2), vega,
    /// rho and dividend rho by central differences of the tree's price.
    public func value(_ type: OptionType, _ inputs: OptionInputs, american: Bool) -> OptionValuation {
        let grid = valueGrid(type, inputs, american: american)
        let s = inputs.spot
        let theta = inputs.rate * grid.price - (inputs.rate - inputs.dividend) * s * grid.delta
            - 0.5 * inputs.volatility * inputs.volatility * s * s * grid.gamma
        func bumped(_ change: (inout OptionInputs, Double) -> Void, _ h: Double) -> Double {
            var up = inputs, down = inputs
            change(&up, h)
            change(&down, -h)
            return (price(type, up, american: american) - price(type, down, american: american)) / (2 * h)
        }
        let vega = bumped({ $0.volatility += $1 }, min(1e-4, inputs.volatility / 2))
        let rho = bumped({ $0.rate += $1 }, 1e-4)
        let dividendRho = bumped({ $0.dividend += $1 }, 1e-4)
        return OptionValuation(price: grid.price, delta: grid.delta, gamma: grid.gamma, vega: vega, theta: theta, rho: rho,
                               dividendRho: dividendRho)
    }

    private func valueGrid(_ type: OptionType, _ inputs: OptionInputs, american: Bool) -> (price: Double, delta: Double, gamma: Double) {
        let n = max(steps, 2)
        let s = inputs.spot, k = inputs.strike, t = inputs.expiry
        guard t > 0, inputs.volatility > 0 else {
            let european = BlackScholesMerton.value(type, inputs)
            let intrinsic = type.intrinsic(spot: s, strike: k)
            return american && intrinsic > european.price ? (intrinsic, type.sign * (intrinsic > 0 ? 1 : 0), 0)
                : (european.price, european.delta, european.gamma)
        }
        let dt = t / Double(n)
        let growth = exp((inputs.rate - inputs.dividend) * dt)
        let discount = exp(-inputs.rate * dt)
        let up: Double, down: Double, p: Double
        switch kind {
        case .coxRossRubinstein:
            up = exp(inputs.volatility * dt.squareRoot())
            down = 1 / up
            p = (growth - down) / (up - down)
        case .leisenReimer:
            let stdDev = inputs.volatility * t.squareRoot()
            let d2 = (log(s / k) + (inputs.rate - inputs.dividend - 0.5 * inputs.volatility * inputs.volatility) * t) / stdDev
            p = Self.peizerPratt(d2, steps: n)
            let pDash = Self.peizerPratt(d2 + stdDev, steps: n)
            up = growth * pDash / p
            down = (growth - p * up) / (1 - p)
        }
        // values[j]: the option at j up moves out of i steps; prices[j] the underlying there, moved a
        // level back by dividing by `down` (s u^j d^(i-j) = s u^j d^(i+1-j) / d).
        var values = [Double](repeating: 0, count: n + 1)
        var prices = [Double](repeating: 0, count: n + 1)
        let w = type.sign
        let ratio = up / down
        prices[0] = s * pow(down, Double(n))
        for j in 1...n { prices[j] = prices[j - 1] * ratio }
        for j in 0...n { values[j] = max(0, w * (prices[j] - k)) }
        var level1: (Double, Double) = (0, 0)
        var level2: (Double, Double, Double) = (0, 0, 0)
        let pUp = discount * p, pDown = discount * (1 - p)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in 0...i {
                var v = pUp * values[j + 1] + pDown * values[j]
                if american {
                    prices[j] /= down
                    v = max(v, w * (prices[j] - k))
                }
                values[j] = v
            }
            if i == 2 { level2 = (values[0], values[1], values[2]) }
            if i == 1 { level1 = (values[0], values[1]) }
        }
        let s1u = s * up, s1d = s * down
        let delta = (level1.1 - level1.0) / (s1u - s1d)
        let s2uu = s * up * up, s2ud = s * up * down, s2dd = s * down * down
        let deltaUp = (level2.2 - level2.1) / (s2uu - s2ud), deltaDown = (level2.1 - level2.0) / (s2ud - s2dd)
        let gamma = (deltaUp - deltaDown) / (0.5 * (s2uu - s2dd))
        return (values[0], delta, gamma)
    }

    /// Peizer-Pratt method 2: the probability of the binomial tree that matches a normal with
    /// quantile `z` on `steps` (odd) steps.
    static func peizerPratt(_ z: Double, steps: Int) -> Double {
        let n = Double(steps)
        let a = z / (n + 1.0 / 3.0 + 0.1 / (n + 1))
        let sign: Double = z < 0 ? -1 : 1
        return 0.5 + sign * 0.5 * (1 - exp(-a * a * (n + 1.0 / 6.0))).squareRoot()
    }
}
