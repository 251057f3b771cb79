import PeregrineCore
import PeregrineResearch
import Testing

@Suite struct MonteCarloTests {
    let trades = [100.0, -50, 250, -75, 30, -20, 90, -110, 60, 10].map { MonteCarloAnalysis.Trade(netPnL: $0, entryNotional: 10_000) }

    @Test func shuffleKeepsTheFinalEquityAndChangesThePath() {
        let analysis = MonteCarloAnalysis(initialEquity: 100_000, trades: trades, returns: [], years: 1)
        var settings = MonteCarloAnalysis.Settings()
        settings.method = .tradeShuffle
        settings.paths = 500
        let report = analysis.run(settings)
        #expect(report.finalEquity.p5 == 100_285 && report.finalEquity.p95 == 100_285)  // 100,000 + 285
        #expect(report.maxDrawdown.p5 < report.maxDrawdown.p95)  // orders differ
        // A fixed 10 bp cost per trade on 10,000 of notional: 10 trades x 10 less.
        settings.costRange = 10...10
        #expect(analysis.run(settings).finalEquity.median == 100_185)
    }

    @Test func bootstrapCentersOnTheMeanTrade() {
        let analysis = MonteCarloAnalysis(initialEquity: 100_000, trades: trades, returns: [], years: 1)
        var settings = MonteCarloAnalysis.Settings()
        settings.paths = 20_000
        settings.seed = 3
        let report = analysis.run(settings)
        // Mean trade 28.5, sd about 99: 10 draws give mean 285, standard error of the mean 99*sqrt(10)/sqrt(20000) ≈ 2.2.
        #expect(abs(report.finalEquity.mean - 100_285) < 10)
        #expect(report.bands.count == 10)
        #expect(report.bands.allSatisfy { $0.0 <= $0.2 && $0.2 <= $0.4 })
    }

    @Test func ruinIsCountedOnThePath() {
        let losing = Array(repeating: MonteCarloAnalysis.Trade(netPnL: -10_000, entryNotional: 50_000), count: 8)
        var settings = MonteCarloAnalysis.Settings()
        settings.ruinLevel = 0.5
        #expect(MonteCarloAnalysis(initialEquity: 100_000, trades: losing, returns: [], years: 1).run(settings).probabilityOfRuin == 1)
        #expect(MonteCarloAnalysis(initialEquity: 100_000, trades: trades, returns: [], years: 1).run(settings).probabilityOfRuin == 0)
    }

    @Test func blockBootstrapOfConstantReturnsIsExact() {
        let analysis = MonteCarloAnalysis(initialEquity: 1_000, trades: [], returns: Array(repeating: 0.001, count: 252), years: 1)
        var settings = MonteCarloAnalysis.Settings()
        settings.method = .blockBootstrap
        settings.paths = 50
        let report = analysis.run(settings)
        let expected = 1_000 * Foundationless.pow(1.001, 252)
        #expect(abs(report.finalEquity.p5 - expected) < 1e-9 && abs(report.finalEquity.p95 - expected) < 1e-9)
        #expect(abs(report.annualReturn.median - (Foundationless.pow(1.001, 252) - 1)) < 1e-12)
    }

    @Test func sameSeedSamePaths() {
        var rng = SeededGenerator(seed: 1)
        let returns = (0..<500).map { _ in rng.nextNormal(mean: 0.0004, standardDeviation: 0.01) }
        let analysis = MonteCarloAnalysis(initialEquity: 1_000, trades: trades, returns: returns, years: 2)
        for method in MonteCarloAnalysis.Method.allCases {
            var settings = MonteCarloAnalysis.Settings()
            settings.method = method
            settings.paths = 200
            #expect(analysis.run(settings).finalEquity == analysis.run(settings).finalEquity, "\(method)")
        }
    }

    /// Regime-switching paths: the two-state model recovers a known calm/turbulent process, and its
    /// paths keep the volatility clustering that GBM paths lack (squared returns stay autocorrelated).
    @Test func regimePathsRecoverTheRegimesAndKeepVolatilityClustering() throws {
        var generator = SeededGenerator(seed: 42)
        var state = 0
        var returns: [Double] = []
        for _ in 0..<6_000 {
            let stay = state == 0 ? 0.98 : 0.95
            if generator.nextUniform() >= stay { state = 1 - state }
            returns.append(state == 0 ? 0.0005 + 0.005 * generator.nextNormal() : -0.002 + 0.02 * generator.nextNormal())
        }
        let analysis = MonteCarloAnalysis(initialEquity: 100_000, trades: [], returns: returns, years: 6_000 / 252)
        let model = try #require(analysis.regimeModel(seed: 1))
        // States ordered by mean: the turbulent one (lower mean) first.
        #expect(abs(model.variances[0].squareRoot() - 2.0) < 0.2 && abs(model.variances[1].squareRoot() - 0.5) < 0.05,
                "\(model.variances.map { $0.squareRoot() })")
        #expect(abs(model.transition[1][1] - 0.98) < 0.01 && abs(model.transition[0][0] - 0.95) < 0.02, "\(model.transition)")

        func clustering(_ method: MonteCarloAnalysis.Method) -> (volatility: Double, autocorrelation: Double) {
            var settings = MonteCarloAnalysis.Settings()
            settings.method = method
            settings.paths = 20
            var pooled: [Double] = []
            var lagged = 0.0, plain = 0.0
            for sample in analysis.samplePaths(settings) {
                let path = [100_000.0] + sample
                let r = zip(path.dropFirst(), path).map { $0 / $1 - 1 }
                let squares = r.map { $0 * $0 }
                let mean = squares.reduce(0, +) / Double(squares.count)
                for t in 1..<squares.count { lagged += (squares[t] - mean) * (squares[t - 1] - mean) }
                plain += squares.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                pooled += r
            }
            let m = pooled.reduce(0, +) / Double(pooled.count)
            let sd = (pooled.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(pooled.count - 1)).squareRoot()
            return (sd, lagged / plain)
        }
        let original = returns.reduce(0) { $0 + $1 * $1 } / Double(returns.count)
        let regimes = clustering(.regimes), gbm = clustering(.gbm)
        #expect(abs(regimes.volatility / original.squareRoot() - 1) < 0.15, "\(regimes.volatility) vs \(original.squareRoot())")
        #expect(regimes.autocorrelation > 0.1 && abs(gbm.autocorrelation) < 0.05, "\(regimes) \(gbm)")
    }
}
