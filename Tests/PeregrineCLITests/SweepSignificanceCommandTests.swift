import Foundation
import PeregrineTestSupport
import Testing

/// `sweep --out` writes the significance of its best combination: the trials are the rows of
/// results.csv, the best Sharpe per bar is its annualized Sharpe over √(bars a year), and the
/// expected maximum of luck follows from the trials and their Sharpe variance by the DSR paper's formula.
@Suite struct SweepSignificanceCommandTests {
    @Test func summaryCarriesTheDeflatedSharpeAndTheProbabilityOfOverfitting() throws {
        let folder = TestPaths.temporaryFolder()
        let run = try peregrine(["sweep", "--data", "synthetic:bars=2000,seed=12,interval=1d", "--grid", "fast=2..20:2",
                                 "--grid", "slow=25..85:15", "--pbo-blocks", "8", "--out", folder])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("deflated sharpe (DSR)") && run.output.contains("PBO"), "\(run.output)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) as! [String: Any]
        let significance = try #require(summary["significance"] as? [String: Any])
        let rows = try String(contentsOfFile: folder + "/results.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(significance["trials"] as? Int == rows.count && rows.count == 50)
        #expect(significance["pbo_blocks"] as? Int == 8 && significance["pbo_splits"] as? Int == 70)  // C(8, 4)
        let pbo = (significance["probability_of_backtest_overfitting"] as! NSNumber).doubleValue
        #expect(pbo >= 0 && pbo <= 1)
        let best = summary["best"] as! [String: Any]
        let perBar = (significance["best_sharpe_per_bar"] as! NSNumber).doubleValue
        #expect(abs(perBar * 252.0.squareRoot() - (best["sharpe"] as! NSNumber).doubleValue) < 1e-9)
        // E[max SR] = √V·((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))) with N = 50: Φ⁻¹(0.98) = 2.0537489,
        // Φ⁻¹(1 − 1/(50e)) = Φ⁻¹(0.99264241) = 2.4393140.
        let variance = (significance["trial_sharpe_variance_per_bar"] as! NSNumber).doubleValue
        let gamma = 0.577_215_664_901_532_9
        let expected = variance.squareRoot() * ((1 - gamma) * 2.053_748_910_631_823 + gamma * 2.439_313_953_857_894)
        #expect(abs((significance["expected_max_sharpe_per_bar"] as! NSNumber).doubleValue - expected) < 1e-6 * max(expected, 1e-3))
        let dsr = (significance["deflated_sharpe"] as! NSNumber).doubleValue
        #expect(dsr >= 0 && dsr <= 1)
        // The undeflated PSR of the same best is higher: the search costs belief.
        #expect((significance["best_probabilistic_sharpe"] as! NSNumber).doubleValue >= dsr)
        let bad = try peregrine(["sweep", "--data", "synthetic:bars=300", "--pbo-blocks", "7"])
        #expect(bad.status != 0 && bad.error.contains("--pbo-blocks 7"), "\(bad.error)")
    }
}
