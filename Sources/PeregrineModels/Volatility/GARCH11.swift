#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GARCH(1,1) with a constant mean and normal shocks: r[t] = mu + e[t], sigma2[t] = omega +
/// alpha e[t-1]^2 + beta sigma2[t-1]. Volatility clusters and reverts to the long-run level
/// omega / (1 - alpha - beta), so its forecast for an option's life bends from today's variance
/// toward that level. The likelihood is the arch package's: the first variance comes from a
/// backcast (0.94-weighted mean of the first 75 squared residuals from the sample mean).
public struct GARCH11: Sendable, Equatable {
    public var mu: Double
    public var omega: Double
    public var alpha: Double
    public var beta: Double
    /// The Gaussian log-likelihood of the returns at these parameters.
    public var logLikelihood: Double
    /// The last return's residual and conditional variance, where forecasts start.
    public var lastResidual: Double
    public var lastVariance: Double

    /// alpha + beta: how slowly a shock to variance fades.
    public var persistence: Double { alpha + beta }

    /// The variance the forecasts revert to (per bar); infinite when persistence reaches 1.
    public var longRunVariance: Double { persistence < 1 ? omega / (1 - persistence) : .infinity }

    /// The variances expected for the next `horizon` bars: omega + alpha e^2 + beta sigma2 for the
    /// first, then omega + (alpha + beta) times the one before.
    public func forecastVariances(horizon: Int) -> [Double] {
        guard horizon > 0 else { return [] }
        var variances = [omega + alpha * lastResidual * lastResidual + beta * lastVariance]
        while variances.count < horizon { variances.append(omega + persistence * variances[variances.count - 1]) }
        return variances
    }

    /// Fits by maximum likelihood on the log returns of `closes` (at least 30 returns).
    public static func fit(closes: [Double]) throws(VolatilityInputError) -> GARCH11 {
        try fit(returns: LogReturns.of(closes, minimum: 30))
    }

    /// Fits by maximum likelihood: Nelder-Mead on unconstrained coordinates (log omega; alpha +
    /// beta and alpha's share of it through logistic functions, so omega > 0, alpha, beta >= 0 and
    /// alpha + beta < 1 always hold), restarted from its best point until the likelihood stops
    /// rising. The returns are scaled to unit standard deviation first (the fit is equivariant).
    public static func fit(returns: [Double]) throws(VolatilityInputError) -> GARCH11 {
        guard returns.count >= 30 else { throw VolatilityInputError("\(returns.count) returns: GARCH(1,1) needs at least 30") }
        if let index = returns.firstIndex(where: { !$0.isFinite }) {
            throw VolatilityInputError("return \(returns[index]) at \(index + 1) is not a finite number")
        }
        let n = Double(returns.count)
        let mean = returns.reduce(0, +) / n
        let scale = (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        guard scale > 0 else { throw VolatilityInputError("the returns do not vary; there is no volatility to model") }
        let x = returns.map { $0 / scale }
        let backcast = Self.backcast(x.map { $0 - mean / scale })

        func parameters(_ point: [Double]) -> (mu: Double, omega: Double, alpha: Double, beta: Double) {
            let persistence = (1 - 1e-9) / (1 + exp(-point[2]))
            let alpha = persistence / (1 + exp(-point[3]))
            return (point[0], exp(point[1]), alpha, persistence - alpha)
        }
        func negativeLogLikelihood(_ point: [Double]) -> Double {
            let p = parameters(point)
            let value = -Self.logLikelihood(x, mu: p.mu, omega: p.omega, alpha: p.alpha, beta: p.beta, backcast: backcast).value
            return value.isFinite ? value : .greatestFiniteMagnitude
        }
        // Start near typical daily equity values: persistence 0.95 with alpha 0.1 of it, omega
        // giving unit long-run variance.
        var best = NelderMead.minimize(start: [mean / scale, log(0.05), log(0.95 / 0.05), log(0.1 / 0.85)], step: 0.5,
                                       tolerance: 1e-15, maxIterations: 20_000, negativeLogLikelihood)
        for step in [0.2, 0.05, 0.01, 0.002] {
            let next = NelderMead.minimize(start: best.point, step: step, tolerance: 1e-15, maxIterations: 20_000, negativeLogLikelihood)
            if next.value < best.value { best = next }
        }
        let p = parameters(best.point)
        let fitted = Self.logLikelihood(x, mu: p.mu, omega: p.omega, alpha: p.alpha, beta: p.beta, backcast: backcast)
        return GARCH11(mu: p.mu * scale, omega: p.omega * scale * scale, alpha: p.alpha, beta: p.beta,
                       logLikelihood: fitted.value - n * log(scale), lastResidual: fitted.lastResidual * scale,
                       lastVariance: fitted.lastVariance * scale * scale)
    }

    /// The starting variance: the first 75 squared residuals weighted 0.94^i, normalized.
    static func backcast(_ residuals: [Double]) -> Double {
        let count = min(75, residuals.count)
        var weighted = 0.0, total = 0.0, weight = 1.0
        for i in 0..<count {
            weighted += weight * residuals[i] * residuals[i]
            total += weight
            weight *= 0.94
        }
        return weighted / total
    }

    /// The log-likelihood of `returns`, and the last residual and variance.
    static func logLikelihood(_ returns: [Double], mu: Double, omega: Double, alpha: Double, beta: Double,
                              backcast: Double) -> (value: Double, lastResidual: Double, lastVariance: Double) {
        var previousSquare = backcast, previousVariance = backcast
        var sum = 0.0, residual = 0.0, variance = 0.0
        let logTwoPi = log(2 * Double.pi)
        for r in returns {
            variance = omega + alpha * previousSquare + beta * previousVariance
            residual = r - mu
            sum += logTwoPi + log(variance) + residual * residual / variance
            previousSquare = residual * residual
            previousVariance = variance
        }
        return (-0.5 * sum, residual, variance)
    }
}
