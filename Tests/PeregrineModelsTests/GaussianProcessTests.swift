import Foundation
import PeregrineModels
import PeregrineTestSupport
import Testing

/// Against scikit-learn's GaussianProcessRegressor (fixture from scripts/fixtures/make_model_fixtures.py).
@Suite struct GaussianProcessTests {
    struct Fixture: Decodable {
        struct Fixed: Decodable {
            var signal_variance: Double, length_scale: Double, noise_variance: Double
            var log_marginal_likelihood: Double, mean: [Double], std: [Double]
        }
        struct Fitted: Decodable { var log_marginal_likelihood: Double }
        var x: [Double], y: [Double], test: [Double], fixed: Fixed, fitted: Fitted
    }

    func load() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("gp_sklearn.json"))))
    }

    @Test func fixedKernelPredictionsMatchScikitLearn() throws {
        let f = try load()
        let gp = try GaussianProcessRegression(
            inputs: f.x.map { [$0] }, targets: f.y,
            hyperparameters: .init(lengthScale: f.fixed.length_scale, signalVariance: f.fixed.signal_variance,
                                   noiseVariance: f.fixed.noise_variance))
        #expect(abs(gp.logMarginalLikelihood - f.fixed.log_marginal_likelihood) < 1e-9)
        for (index, x) in f.test.enumerated() {
            let p = gp.predict([x])
            #expect(abs(p.mean - f.fixed.mean[index]) < 1e-9, "mean at \(x)")
            #expect(abs(p.variance.squareRoot() - f.fixed.std[index]) < 1e-9, "std at \(x)")
        }
    }

    @Test func fittedHyperparametersReachScikitLearnsLikelihood() throws {
        let f = try load()
        let gp = try GaussianProcessRegression.fit(
            inputs: f.x.map { [$0] }, targets: f.y,
            initial: .init(lengthScale: 1, signalVariance: 1, noiseVariance: 0.1), restarts: 5)
        #expect(gp.logMarginalLikelihood >= f.fitted.log_marginal_likelihood - 1e-6,
                "ours \(gp.logMarginalLikelihood) vs sklearn \(f.fitted.log_marginal_likelihood)")
    }

    @Test func choleskySolvesAndFailsOnIndefinite() throws {
        let a = Matrix([[4, 2], [2, 3]])
        let factor = try CholeskyFactorization(a)
        let x = factor.solve([2, 1])  // 4x + 2y = 2, 2x + 3y = 1 -> x = 0.5, y = 0
        #expect(abs(x[0] - 0.5) < 1e-12 && abs(x[1]) < 1e-12)
        #expect(abs(factor.logDeterminant - log(8.0)) < 1e-12)
        #expect(throws: CholeskyFactorization.Failure.notPositiveDefinite(row: 1)) {
            try CholeskyFactorization(Matrix([[1, 2], [2, 1]]))
        }
    }
}
