#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A set of legs on one underlying, valued by `pricing` (Black-Scholes-Merton unless the legs are
/// American): what it costs to enter, what it
/// is worth at any spot and time, its profit at the horizon (the first expiry: the payoff for a
/// single expiry, the far legs still at model value for a calendar), break-evens, the largest
/// profit and loss (or that one is unbounded), the probability of a profit under the model's
/// lognormal law, and the Greeks of the whole position (the sum of its legs').
public struct OptionStrategy: Sendable {
    public var legs: [OptionLeg]
    public var market: OptionMarket
    /// How the option legs are valued (European by default).
    public var pricing: LegPricing

    /// The largest profit or loss at the horizon: a finite amount at a spot, or unbounded (growing
    /// without limit as the underlying rises).
    public enum Extreme: Hashable, Sendable {
        case finite(amount: Double, spot: Double)
        case unbounded
    }

    public init(legs: [OptionLeg], market: OptionMarket, pricing: LegPricing = .european) throws(OptionStrategyError) {
        guard !legs.isEmpty else { throw OptionStrategyError("a strategy needs at least one leg") }
        if let problem = market.inputs(strike: market.spot, expiry: 0).problem { throw OptionStrategyError(problem) }
        for leg in legs {
            guard leg.quantity.isFinite, leg.quantity != 0, abs(leg.quantity) <= 1e9 else {
                throw OptionStrategyError("leg \(leg.description): quantity must be a nonzero number of at most 1e9 shares")
            }
            if case .option(_, let strike, let expiry) = leg.instrument, !(strike > 0 && strike.isFinite && expiry > 0 && expiry <= 100) {
                throw OptionStrategyError("leg \(leg.description): strike must be a positive number and expiry between 0 and 100 years")
            }
        }
        self.legs = legs
        self.market = market
        self.pricing = pricing
    }

    /// The first expiry: where the payoff is read. Stock alone has no expiry; its horizon is 0.
    public var horizon: Double {
        legs.compactMap { if case .option(_, _, let expiry) = $0.instrument { expiry } else { nil } }.min() ?? 0
    }

    /// One share's worth of a leg (before its quantity) at `spot`, `time` years from now: intrinsic
    /// value once expired, the model price before.
    public func unitValue(_ leg: OptionLeg, spot: Double, time: Double) -> Double {
        switch leg.instrument {
        case .stock: return spot
        case .option(let type, let strike, let expiry):
            let remaining = expiry - time
            guard remaining > 1e-12 else { return type.intrinsic(spot: spot, strike: strike) }
            // Worthless call and a put worth the discounted strike when the underlying is gone.
            guard spot > 0 else { return type == .call ? 0 : strike * exp(-market.rate * remaining) }
            return pricing.price(type, market.inputs(strike: strike, expiry: remaining, spot: spot))
        }
    }

    /// The position's value at `spot`, `time` years from now.
    public func value(spot: Double, time: Double) -> Double {
        legs.reduce(0) { $0 + $1.quantity * unitValue($1, spot: spot, time: time) }
    }

    /// What entering costs today (negative for a credit).
    public var cost: Double { value(spot: market.spot, time: 0) }

    /// Value at `spot` and `time` less the cost of entering (carry on the cost is left out).
    public func profit(spot: Double, time: Double) -> Double { value(spot: spot, time: time) - cost }

    /// The Greeks of the position today: each leg's (shares have delta 1) times its quantity; the
    /// price field is the position's value.
    public var greeks: OptionValuation {
        var total = OptionValuation(price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0, dividendRho: 0)
        for leg in legs {
            let q = leg.quantity
            switch leg.instrument {
            case .stock:
                total.price += q * market.spot
                total.delta += q
            case .option(let type, let strike, let expiry):
                let v = pricing.value(type, market.inputs(strike: strike, expiry: expiry))
                total.price += q * v.price
                total.delta += q * v.delta
                total.gamma += q * v.gamma
                total.vega += q * v.vega
                total.theta += q * v.theta
                total.rho += q * v.rho
                total.dividendRho += q * v.dividendRho
            }
        }
        return total
    }

    /// The profit's slope in the spot as the spot grows without bound at the horizon: shares and
    /// expired calls count fully, later calls by e^(-q tau) (their delta's limit; 1 when American).
    var slopeAtInfinity: Double {
        let t = horizon
        return legs.reduce(0) { total, leg in
            switch leg.instrument {
            case .stock: return total + leg.quantity
            case .option(.put, _, _): return total
            case .option(.call, _, let expiry):
                let remaining = expiry - t
                // An American call deep in the money is exercised: its delta tends to 1.
                return total + leg.quantity * (remaining > 1e-12 && !pricing.isAmerican ? exp(-market.dividend * remaining) : 1)
            }
        }
    }

    /// Spots where the profit function is examined at the horizon: 0, every strike (the payoff's
    /// kinks), and an even grid up to three times the largest of the strikes and the spot.
    var grid: [Double] {
        let strikes = legs.compactMap { if case .option(_, let strike, _) = $0.instrument { strike } else { nil } }
        let top = 3 * max(strikes.max() ?? market.spot, market.spot)
        var points = strikes + [0, top]
        for i in 1..<800 { points.append(top * Double(i) / 800) }
        return Array(Set(points)).sorted()
    }

    /// Spots where the profit at the horizon is zero, rising.
    public var breakEvens: [Double] {
        let t = horizon
        let f = { (s: Double) in self.profit(spot: s, time: t) }
        var roots: [Double] = []
        let points = grid
        var previous = (points[0], f(points[0]))
        if previous.1 == 0 { roots.append(previous.0) }
        for s in points.dropFirst() {
            let current = (s, f(s))
            if current.1 == 0 {
                roots.append(s)
            } else if previous.1 != 0 && (previous.1 < 0) != (current.1 < 0) {
                roots.append(Self.bisect(f, previous.0, current.0))
            }
            previous = current
        }
        // Past the grid the profit is (nearly) linear; a root remains where it heads back to zero.
        let slope = slopeAtInfinity
        if let last = points.last, previous.1 != 0, slope != 0, (previous.1 < 0) != (slope < 0) {
            var far = last
            while (f(far) < 0) == (previous.1 < 0) && far < 1e15 { far *= 2 }
            if far < 1e15 { roots.append(Self.bisect(f, far / 2, far)) }
        }
        return roots
    }

    /// The largest profit at the horizon (unbounded if it keeps rising with the underlying).
    public var maxProfit: Extreme { extreme(sign: 1) }

    /// The largest loss at the horizon, as a positive amount (unbounded if it keeps growing).
    public var maxLoss: Extreme {
        if case .finite(let amount, let spot) = extreme(sign: -1) { return .finite(amount: -amount, spot: spot) }
        return .unbounded
    }

    private func extreme(sign: Double) -> Extreme {
        if sign * slopeAtInfinity > 1e-12 { return .unbounded }
        let t = horizon
        let points = grid
        let values = points.map { sign * profit(spot: $0, time: t) }
        // On a flat stretch rounding picks an arbitrary point; report its first (lowest) spot instead.
        let top = values.max() ?? 0
        let best = values.firstIndex { $0 >= top - 1e-9 * max(1, abs(top)) } ?? 0
        // A smooth extreme (a calendar's) lies between grid points: golden-section search there.
        var low = points[max(0, best - 1)], high = points[min(points.count - 1, best + 1)]
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<100 where high - low > 1e-10 * max(1, high) {
            let a = high - ratio * (high - low), b = low + ratio * (high - low)
            if sign * profit(spot: a, time: t) > sign * profit(spot: b, time: t) { high = b } else { low = a }
        }
        let refined = (low + high) / 2
        var spot = points[best], amount = values[best]
        // Only a real gain over the grid (not rounding along a flat stretch) moves the reported spot.
        if sign * profit(spot: refined, time: t) > amount + 1e-12 * max(1, abs(amount)) {
            spot = refined
            amount = sign * profit(spot: refined, time: t)
        }
        return .finite(amount: sign * amount, spot: spot)
    }

    /// The probability that the position shows a profit at the horizon when the spot there is
    /// lognormal with the risk-neutral drift r - q: the lognormal mass of the spans between
    /// break-evens where the profit is positive.
    public var probabilityOfProfit: Double {
        let t = horizon
        let roots = breakEvens
        guard t > 0, market.volatility > 0 else { return profit(spot: market.spot * exp((market.rate - market.dividend) * t), time: t) > 0 ? 1 : 0 }
        let stdDev = market.volatility * t.squareRoot()
        let center = log(market.spot) + (market.rate - market.dividend - 0.5 * market.volatility * market.volatility) * t
        func below(_ s: Double) -> Double { s <= 0 ? 0 : s.isInfinite ? 1 : NormalDistribution.cdf((log(s) - center) / stdDev) }
        let edges = [0.0] + roots + [Double.infinity]
        var total = 0.0
        for i in 0..<(edges.count - 1) {
            let low = edges[i], high = edges[i + 1]
            let inside = high.isInfinite ? max(2 * low, low + market.spot) : 0.5 * (low + high)
            if profit(spot: inside, time: t) > 0 { total += below(high) - below(low) }
        }
        return total
    }

    static func bisect(_ f: (Double) -> Double, _ a: Double, _ b: Double) -> Double {
        var low = a, high = b
        let lowNegative = f(low) < 0
        for _ in 0..<200 {
            let middle = 0.5 * (low + high)
            if middle == low || middle == high { break }
            if (f(middle) < 0) == lowNegative { low = middle } else { high = middle }
        }
        return 0.5 * (low + high)
    }
}
