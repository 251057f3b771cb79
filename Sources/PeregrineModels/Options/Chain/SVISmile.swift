#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One expiry's smile in Gatheral's raw SVI form: total implied variance w = σ²·T as a function of
/// log-moneyness k = ln(K / F),
///
///     w(k) = a + b · (ρ · (k − m) + √((k − m)² + s²)),   b ≥ 0, |ρ| < 1, s > 0,
///
/// a slope of b(1 ± ρ) in each wing (Lee's bound asks at most 2), its minimum a + b·s·√(1 − ρ²) kept at
/// or above zero. Unlike the quadratic (`VolatilitySmile`) its wings grow linearly in total variance,
/// as the moment formula requires, so it extrapolates beyond the quotes without going negative.
///
/// Fit: least squares in total variance by the quasi-explicit method (Zeliade, 2009): for a given
/// (m, s), with y = (k − m)/s, w = a + d·y + c·√(y² + 1) is linear in (a, d, c) = (a, bρs, bs) and is
/// solved exactly; the outer two parameters (m, ln s) are found by Nelder-Mead from several starts.
/// Where the inner solution breaks a constraint (c < 0 or |d| > c) the best solution on the boundary
/// (|ρ| = 0.999, or b = 0) is taken instead.
public struct SVISmile: Hashable, Sendable {
    public var a: Double
    public var b: Double
    public var rho: Double
    public var m: Double
    public var s: Double
    public var forward: Double
    /// Years to expiry (T).
    public var expiry: Double
    /// The root mean square difference between the quotes' and the fit's implied volatilities.
    public var rootMeanSquareError: Double

    public init(a: Double, b: Double, rho: Double, m: Double, s: Double, forward: Double, expiry: Double, rootMeanSquareError: Double = 0) {
        self.a = a
        self.b = b
        self.rho = rho
        self.m = m
        self.s = s
        self.forward = forward
        self.expiry = expiry
        self.rootMeanSquareError = rootMeanSquareError
    }

    public func totalVariance(logMoneyness k: Double) -> Double {
        a + b * (rho * (k - m) + ((k - m) * (k - m) + s * s).squareRoot())
    }

    /// The fitted implied volatility at a strike (0 where the total variance is not positive).
    public func volatility(strike: Double) -> Double {
        let w = totalVariance(logMoneyness: log(strike / forward))
        return w > 0 ? (w / expiry).squareRoot() : 0
    }

    /// The least total variance, a + b·s·√(1 − ρ²).
    public var minimumTotalVariance: Double { a + b * s * (1 - rho * rho).squareRoot() }

    /// Fits the smile through `points` (at least 5 quotes with 5 distinct strikes).
    public init(points: [VolatilitySmile.Point], forward: Double, expiry: Double) throws(VolatilitySmile.Failure) {
        guard forward > 0, forward.isFinite else { throw VolatilitySmile.Failure(description: "forward \(forward) must be a positive number") }
        guard expiry > 0, expiry.isFinite else { throw VolatilitySmile.Failure(description: "expiry \(expiry) years must be a positive number") }
        if let bad = points.first(where: { !($0.strike > 0 && $0.volatility > 0 && $0.strike.isFinite && $0.volatility.isFinite) }) {
            throw VolatilitySmile.Failure(description: "quote at strike \(bad.strike) with volatility \(bad.volatility) is not usable")
        }
        guard Set(points.map(\.strike)).count >= 5 else {
            throw VolatilitySmile.Failure(description: "\(Set(points.map(\.strike)).count) distinct strikes: an SVI smile needs at least 5")
        }
        let k = points.map { log($0.strike / forward) }
        let w = points.map { $0.volatility * $0.volatility * expiry }
        let fit = Self.fit(k: k, w: w)
        let rho = fit.c > 0 ? fit.d / fit.c : 0
        self.init(a: fit.a, b: fit.c / fit.s, rho: rho, m: fit.m, s: fit.s, forward: forward, expiry: expiry)
        let squared = zip(points, k).reduce(0.0) { total, pair in
            let model = totalVariance(logMoneyness: pair.1)
            let difference = (model > 0 ? (model / expiry).squareRoot() : 0) - pair.0.volatility
            return total + difference * difference
        }
        rootMeanSquareError = (squared / Double(points.count)).squareRoot()
    }

    struct Inner {
        var a: Double, d: Double, c: Double, m: Double, s: Double, residual: Double
    }

    /// The best (a, d, c) for one (m, s), within the constraints.
    static func inner(k: [Double], w: [Double], m: Double, s: Double) -> Inner? {
        let y = k.map { ($0 - m) / s }
        let root = y.map { ($0 * $0 + 1).squareRoot() }
        func residual(_ a: Double, _ d: Double, _ c: Double) -> Double {
            zip(zip(y, root), w).reduce(0.0) { total, item in
                let e = a + d * item.0.0 + c * item.0.1 - item.1
                return total + e * e
            }
        }
        var candidates: [Inner] = []
        if let free = try? LeastSquares(response: w, columns: [y.map { _ in 1 }, y, root]) {
            let (a, d, c) = (free.coefficients[0], free.coefficients[1], free.coefficients[2])
            if c >= 0 && abs(d) <= 0.999 * c { candidates.append(Inner(a: a, d: d, c: c, m: m, s: s, residual: residual(a, d, c))) }
        }
        if candidates.isEmpty {
            // On the boundary: ρ = ±0.999 (one column), or b = 0 (a flat smile).
            for sign in [-1.0, 1.0] {
                let column = zip(y, root).map { sign * 0.999 * $0.0 + $0.1 }
                if let edge = try? LeastSquares(response: w, columns: [y.map { _ in 1 }, column]), edge.coefficients[1] >= 0 {
                    let c = edge.coefficients[1]
                    candidates.append(Inner(a: edge.coefficients[0], d: sign * 0.999 * c, c: c, m: m, s: s,
                                            residual: residual(edge.coefficients[0], sign * 0.999 * c, c)))
                }
            }
            let mean = w.reduce(0, +) / Double(w.count)
            candidates.append(Inner(a: mean, d: 0, c: 0, m: m, s: s, residual: residual(mean, 0, 0)))
        }
        // The smallest total variance, a + c·√(1 − ρ²), must not be negative.
        return candidates.filter { $0.a + ($0.c > 0 ? ($0.c * $0.c - $0.d * $0.d).squareRoot() : 0) >= -1e-12 }
            .min { $0.residual < $1.residual }
    }

    static func fit(k: [Double], w: [Double]) -> Inner {
        let spread = max((k.max() ?? 0) - (k.min() ?? 0), 1e-4)
        func objective(_ p: [Double]) -> Double {
            guard p[1].isFinite, p[1] > -30, p[1] < 5 else { return .infinity }
            return inner(k: k, w: w, m: p[0], s: exp(p[1]))?.residual ?? .infinity
        }
        let lowest = k[w.indices.min { w[$0] < w[$1] } ?? 0]
        var best: NelderMead.Result?
        for m in [lowest, 0] {
            for s in [0.1, 0.5] {
                let result = NelderMead.minimize(start: [m, log(s * spread)], step: 0.25 * spread, tolerance: 1e-15, maxIterations: 1_500,
                                                 objective)
                if result.value < (best?.value ?? .infinity) { best = result }
            }
        }
        let point = best?.point ?? [0, log(0.1 * spread)]
        return inner(k: k, w: w, m: point[0], s: exp(point[1]))
            ?? Inner(a: w.reduce(0, +) / Double(w.count), d: 0, c: 0, m: point[0], s: exp(point[1]), residual: .infinity)
    }
}
