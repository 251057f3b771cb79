import Foundation
import PeregrineCore
import PeregrineData
import PeregrineModels
import PeregrineTestSupport
import Testing

@Suite struct HiddenMarkovTests {
    /// Two well-separated regimes generated from a known chain are recovered.
    @Test func recoversAKnownTwoStateChain() {
        var rng = SeededGenerator(seed: 1)
        var state = 0
        var observations: [Double] = []
        var truth: [Int] = []
        for _ in 0..<3_000 {
            if rng.nextUniform() < 0.03 { state = 1 - state }
            truth.append(state)
            observations.append(state == 0 ? rng.nextNormal(mean: -1, standardDeviation: 0.5) : rng.nextNormal(mean: 2, standardDeviation: 1))
        }
        let fit = GaussianHiddenMarkovModel.fit(observations, states: 2, seed: 0, restarts: 3)
        #expect(abs(fit.model.means[0] + 1) < 0.1 && abs(fit.model.means[1] - 2) < 0.1)
        #expect(abs(fit.model.variances[0] - 0.25) < 0.05 && abs(fit.model.variances[1] - 1) < 0.15)
        #expect(abs(fit.model.transition[0][1] - 0.03) < 0.015)
        let path = fit.model.viterbi(observations)
        let agreement = Double(zip(path, truth).filter { $0 == $1 }.count) / Double(truth.count)
        #expect(agreement > 0.97)
        // Filtering uses only the past: the probabilities at t do not change when later data is added.
        let early = fit.model.filter(Array(observations.prefix(500)))
        let full = fit.model.filter(observations)
        for t in [0, 100, 499] { #expect(early[t] == full[t]) }
        #expect(abs(fit.logLikelihood - fit.model.logLikelihood(observations)) < 1e-9)
    }

    /// hmmlearn 0.3.3, 3 states, best of random_state 0..4, on daily log returns x100.
    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)),
          arguments: ["orcl_daily.csv", "nvda_daily.csv"])
    func reachesAtLeastHmmlearnsLikelihood(file: String) throws {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("hmm_hmmlearn.json")))) as! [String: Any]
        let reference = (root["series"] as! [String: Any])[file] as! [String: Any]
        let series = try BarCSVReader().read(path: TestPaths.sharedFile(file), instrument: .usEquity("X")).series
        let closes = series.closes.map { Double($0) / 1e9 }
        let returns = (1..<closes.count).map { 100 * log(closes[$0] / closes[$0 - 1]) }
        #expect(returns.count == reference["observations"] as! Int)
        let fit = GaussianHiddenMarkovModel.fit(returns, states: 3, seed: 0, restarts: 5)
        let theirs = reference["log_likelihood"] as! Double
        #expect(fit.logLikelihood >= theirs - 1e-6, "ours \(fit.logLikelihood) vs hmmlearn \(theirs)")
        #expect(fit.model.means == fit.model.means.sorted())
    }
}
