import PeregrineCore
import PeregrineModels
import Testing

@Suite struct SignalComponentTests {
    /// The grid forecaster equals a full GP on inputs 0..<window with variances scaled by the
    /// window's sample variance, fitted on the demeaned returns, plus the mean back.
    @Test func gridForecasterEqualsTheGeneralGaussianProcess() throws {
        var rng = SeededGenerator(seed: 31)
        let recent = (0..<20).map { _ in 0.01 * rng.nextNormal() + 0.002 }
        let grid = try GridGaussianProcessForecaster(window: 20, horizon: 3, lengthScale: 3, signalShare: 0.1)
        let mean = recent.reduce(0, +) / 20
        let variance = recent.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 19
        let full = try GaussianProcessRegression(
            inputs: (0..<20).map { [Double($0)] }, targets: recent.map { $0 - mean },
            hyperparameters: .init(lengthScale: 3, signalVariance: 0.1 * variance, noiseVariance: 0.9 * variance), jitter: 0)
        for (step, forecast) in grid.forecast(recent).enumerated() {
            let p = full.predict([Double(19 + step + 1)])
            #expect(abs(forecast.mean - (p.mean + mean)) < 1e-12)
            #expect(abs(forecast.variance - p.variance) < 1e-12 * variance)
        }
    }

    @Test func bayesianRSIIsTheClosedFormPosterior() {
        for rsi in stride(from: 0.0, through: 100.0, by: 7.5) {
            let e = abs(rsi - 50) / 50
            let a = 0.3 * exp(-0.5 * (e - 0.6) * (e - 0.6) / 0.0225)
            let b = 0.7 * exp(-0.5 * (e - 0.2) * (e - 0.2) / 0.0225)
            #expect(abs(BayesianRSISignal.reversalProbability(rsi: rsi) - a / (a + b)) < 1e-12)
        }
        // Symmetric around 50 and rising toward the extremes.
        #expect(BayesianRSISignal.reversalProbability(rsi: 90) == BayesianRSISignal.reversalProbability(rsi: 10))
        #expect(BayesianRSISignal.reversalProbability(rsi: 85) > BayesianRSISignal.reversalProbability(rsi: 60))
    }

    @Test func bollingerZReadings() {
        let signal = BollingerZSignal()
        #expect(signal.read(-2.1) == .buy && signal.read(2.0) == .sell && signal.read(0.3) == .exit && signal.read(1.2) == .none)
    }
}

import Foundation
