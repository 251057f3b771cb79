import PeregrineCore

/// Geometric Brownian motion paths, seeded: S(t+dt) = S(t) exp((μ − σ²/2) dt + σ √dt Z). Shared by
/// forecasting checks and Monte Carlo work.
public struct GeometricBrownianMotion: Sendable {
    /// Annual drift and volatility.
    public var drift: Double
    public var volatility: Double
    /// Step length in years (1/252 for daily steps).
    public var step: Double

    public init(drift: Double, volatility: Double, step: Double = 1.0 / 252) {
        precondition(volatility >= 0 && step > 0)
        self.drift = drift
        self.volatility = volatility
        self.step = step
    }

    /// One path of `steps` values after `start` (the start itself excluded).
    public func path(start: Double, steps: Int, generator: inout SeededGenerator) -> [Double] {
        let driftTerm = (drift - 0.5 * volatility * volatility) * step
        let shock = volatility * step.squareRoot()
        var value = start
        return (0..<steps).map { _ in
            value *= Foundationless.exp(driftTerm + shock * generator.nextNormal())
            return value
        }
    }

    /// `count` paths from one seed; the same seed gives the same paths.
    public func paths(start: Double, steps: Int, count: Int, seed: UInt64) -> [[Double]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in path(start: start, steps: steps, generator: &generator) }
    }
}
