import PeregrineCore
import PeregrineModels
import Testing

@Suite struct SimulationTests {
    /// E[S_T] = S_0 e^{μT}; Var[log S_T] = σ²T. 20,000 one-year paths, checked within sampling error.
    @Test func gbmMomentsMatchTheClosedForm() {
        let gbm = GeometricBrownianMotion(drift: 0.08, volatility: 0.25)
        let paths = gbm.paths(start: 100, steps: 252, count: 20_000, seed: 9)
        let finals = paths.map { $0.last! }
        let mean = finals.reduce(0, +) / Double(finals.count)
        let expected = 100 * Foundationless.exp(0.08)
        // Standard error of the mean ≈ 100 e^{0.08} sqrt(e^{0.0625} - 1) / sqrt(20000) ≈ 0.21
        #expect(abs(mean - expected) < 4 * 0.21)
        let logs = finals.map { Foundationless.log($0 / 100) }
        let logMean = logs.reduce(0, +) / Double(logs.count)
        let logVariance = logs.reduce(0) { $0 + ($1 - logMean) * ($1 - logMean) } / Double(logs.count - 1)
        #expect(abs(logVariance - 0.0625) < 0.003)
        #expect(gbm.paths(start: 100, steps: 5, count: 2, seed: 9) == gbm.paths(start: 100, steps: 5, count: 2, seed: 9))
    }
}
