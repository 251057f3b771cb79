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
}
