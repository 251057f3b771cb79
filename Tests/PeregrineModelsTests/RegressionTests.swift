import PeregrineCore
import PeregrineModels
import Testing

@Suite struct RegressionTests {
    /// A 2-parameter case worked with the textbook NIG formulas and a hand-inverted 2x2 matrix.
    @Test func posteriorMatchesTheTextbookFormulas() throws {
        let x: [[Double]] = [[1, 0], [1, 1], [1, 2], [1, 3]]
        let y: [Double] = [1, 3, 2, 5]
        let prior = BayesianLinearRegression.Prior(mean: [0, 0], precision: Matrix([[1, 0], [0, 1]]), shape: 2, scale: 1)
        let model = try BayesianLinearRegression(features: x, targets: y, prior: prior)
        // XᵀX = [[4, 6], [6, 14]], Λn = [[5, 6], [6, 15]], Xᵀy = [11, 22].
        // Λn⁻¹ = 1/(75 - 36) [[15, -6], [-6, 5]] = 1/39 [[15, -6], [-6, 5]]
        // μn = Λn⁻¹ Xᵀy = 1/39 [15*11 - 6*22, -6*11 + 5*22] = [33/39, 44/39]
        #expect(abs(model.posteriorMean[0] - 33.0 / 39) < 1e-12)
        #expect(abs(model.posteriorMean[1] - 44.0 / 39) < 1e-12)
        // an = 2 + 4/2 = 4; bn = 1 + ½(yᵀy - μnᵀΛnμn) = 1 + ½(39 - μn·Xᵀy) = 1 + ½(39 - (33*11 + 44*22)/39)
        #expect(model.posteriorShape == 4)
        let fitted: Double = (33.0 * 11 + 44.0 * 22) / 39
        let bn: Double = 1 + 0.5 * (39 - fitted)
        #expect(abs(model.posteriorScale - bn) < 1e-12)
        // Predictive at x = [1, 4]: mean 33/39 + 4*44/39; scale² = bn/an (1 + xᵀΛn⁻¹x); ν = 8, var = scale² * 8/6.
        let p = model.predict([1, 4])
        #expect(abs(p.mean - (33.0 + 176.0) / 39) < 1e-12)
        let leverage: Double = (15.0 - 48 + 80) / 39  // [1 4] Λn⁻¹ [1 4]ᵀ = (15 - 2*4*6 + 16*5) / 39
        let expectedVariance: Double = bn / 4 * (1 + leverage) * 8 / 6
        #expect(abs(p.variance - expectedVariance) < 1e-12)
        #expect(p.degreesOfFreedom == 8)
    }

    @Test func autoregressionRecoversAKnownProcess() throws {
        // r[t] = 0.1 + 0.5 r[t-1] + noise(sd 0.1): the posterior mean lands near (0.1, 0.5).
        var rng = SeededGenerator(seed: 3)
        var returns = [0.0]
        for _ in 0..<5_000 { returns.append(0.1 + 0.5 * returns.last! + 0.1 * rng.nextNormal()) }
        let ar = try BayesianAutoregression(returns: returns, lags: 1)
        #expect(abs(ar.model.posteriorMean[0] - 0.1) < 0.01)
        #expect(abs(ar.model.posteriorMean[1] - 0.5) < 0.02)
        #expect(abs(ar.model.noiseVariance - 0.01) < 0.001)
        let path = ar.forecast(horizon: 5)
        #expect(path.count == 5)
        // The mean reverts toward 0.1 / (1 - 0.5) = 0.2 and the cumulative variance grows.
        #expect(abs(path[4].mean - 0.2) < abs(path[0].mean - 0.2) + 1e-9)
        #expect(zip(path, path.dropFirst()).allSatisfy { $0.variance < $1.variance })
    }

    @Test func ensembleWeightsByPrecision() {
        let combined = ForecastEnsemble.combine([.init(mean: 1, variance: 1), .init(mean: 3, variance: 3)])!
        // precisions 1 and 1/3: mean (1 + 1) / (4/3) = 1.5, variance 3/4.
        #expect(abs(combined.mean - 1.5) < 1e-12 && abs(combined.variance - 0.75) < 1e-12)
        #expect(abs(ForecastEnsemble.Forecast(mean: 0, variance: 1).probabilityUp - 0.5) < 1e-12)
        #expect(abs(ForecastEnsemble.Forecast(mean: 1.96, variance: 1).probabilityUp - 0.9750021048517795) < 1e-9)
        #expect(ForecastEnsemble.combine([]) == nil)
    }
}

@Suite struct RollingAutoregressionTests {
    /// The rolling posterior forecasts exactly what a refit of the same window forecasts.
    @Test func rollingEqualsRefitting() throws {
        var rng = SeededGenerator(seed: 21)
        var returns: [Double] = []
        var rolling = RollingBayesianAutoregression(lags: 2, window: 40)
        for t in 0..<300 {
            let r = 0.001 + 0.3 * (returns.last ?? 0) + 0.01 * rng.nextNormal()
            returns.append(r)
            rolling.update(r)
            guard t >= 60, t % 17 == 0 else { continue }
            // The window holds the last 40 rows, which need the 42 latest returns.
            let refit = try BayesianAutoregression(returns: Array(returns.suffix(42)), lags: 2)
            for (a, b) in zip(rolling.forecast(horizon: 3), refit.forecast(horizon: 3)) {
                #expect(abs(a.mean - b.mean) < 1e-12 && abs(a.variance - b.variance) < 1e-12 * max(1, b.variance))
            }
        }
    }
}
