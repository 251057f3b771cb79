import Foundation
import PeregrineTestSupport
import Testing

/// `backtest --out`'s significance figures, recomputed here by hand from the equity.csv it writes:
/// the Sharpe per bar, skewness and kurtosis, the probabilistic Sharpe ratio and its z, the minimum
/// track record, and the normal and Monte Carlo VaR beside the historical one.
@Suite struct BacktestSignificanceTests {
    @Test func summaryCarriesThePSRAndTheVaRByEveryMethod() throws {
        let folder = TestPaths.temporaryFolder()
        let run = try peregrine(["backtest", "--data", "synthetic:bars=3000,seed=5,interval=1d", "--param", "fast=5", "--param", "slow=20",
                                 "--out", folder])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("PSR (sharpe > 0)") && run.output.contains("track record 95%") && run.output.contains("bars needed (have 3000)"), "\(run.output)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) as! [String: Any]
        let lines = try String(contentsOfFile: folder + "/equity.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        var previous = (summary["initial_cash"] as! NSNumber).doubleValue
        var returns: [Double] = []
        for line in lines {
            let value = Double(line.split(separator: ",")[1])!
            returns.append(value / previous - 1)
            previous = value
        }
        let n = Double(returns.count)
        let mean = returns.reduce(0, +) / n
        let squares = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let sd = (squares / (n - 1)).squareRoot()
        let m2 = squares / n
        let m3 = returns.reduce(0) { $0 + pow($1 - mean, 3) } / n
        let m4 = returns.reduce(0) { $0 + pow($1 - mean, 4) } / n
        let sharpe = mean / sd, skew = m3 / pow(m2, 1.5), kurtosis = m4 / (m2 * m2)
        let factor = 1 - skew * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe
        let z = sharpe * (n - 1).squareRoot() / factor.squareRoot()
        let psr = 0.5 * erfc(-z / 2.0.squareRoot())
        let z95 = 1.644_853_626_951_472_2
        func close(_ key: String, _ expected: Double, _ tolerance: Double = 1e-6) {
            let value = (summary[key] as? NSNumber)?.doubleValue ?? .nan
            #expect(abs(value - expected) <= tolerance * max(1, abs(expected)), "\(key): \(value) vs \(expected)")
        }
        #expect(sharpe > 0.001, "a positive Sharpe has a finite track record to check: \(sharpe)")
        close("sharpe_per_bar", sharpe)
        close("sharpe", sharpe * (summary["periods_per_year"] as! NSNumber).doubleValue.squareRoot())
        close("skewness", skew)
        close("kurtosis", kurtosis)
        close("sharpe_z", z)
        close("probabilistic_sharpe", psr)
        close("min_track_record_bars", 1 + factor * pow(z95 / sharpe, 2))
        // Normal VaR and CVaR at 95%: μ − 1.645σ and μ − σ·φ(1.645)/0.05.
        let density = exp(-z95 * z95 / 2) / (2 * Double.pi).squareRoot()
        close("var_95_parametric", mean - z95 * sd)
        close("cvar_95_parametric", mean - sd * density / 0.05)
        // 100,000 draws: within a few standard errors of the normal figures.
        close("var_95_monte_carlo", mean - z95 * sd, 0.02 * sd)
        close("cvar_95_monte_carlo", mean - sd * density / 0.05, 0.03 * sd)
    }
}
