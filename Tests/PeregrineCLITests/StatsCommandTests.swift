import Foundation
import PeregrineTestSupport
import Testing

/// `peregrine stats adf` and `peregrine pairs scan` on the committed fixture files against statsmodels'
/// numbers (scripts/fixtures/make_stats_fixtures.py).
@Suite struct StatsCommandTests {
    static let tolerance = 1e-6

    static func reference() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("stats_statsmodels.json")))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    @Test(arguments: [("orcl", false, "c"), ("orcl", true, "ct"), ("nvda", true, "n"), ("pair_x", false, "c")])
    func adfWritesStatsmodelsNumbers(series: String, log: Bool, regression: String) throws {
        let folder = TestPaths.temporaryFolder()
        let out = folder + "/adf.json"
        let run = try peregrine(["stats", "adf", "--data", TestPaths.fixture("stats/\(series).csv"), "--regression", regression, "--out", out]
            + (log ? ["--log"] : []))
        #expect(run.status == 0, "\(run.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let expected = (try Self.reference()["adf"] as! [[String: Any]]).first {
            $0["series"] as! String == series && $0["log"] as! Bool == log && $0["regression"] as! String == regression
                && $0["max_lag"] is NSNull
        }!
        #expect(abs(json["statistic"] as! Double - (expected["statistic"] as! Double)) <= Self.tolerance)
        #expect(abs(json["p_value"] as! Double - (expected["p_value"] as! Double)) <= Self.tolerance)
        #expect(json["lags"] as! Int == expected["lags"] as! Int)
        #expect(json["nobs"] as! Int == expected["nobs"] as! Int)
        let critical = json["critical_values"] as! [String: Double]
        for (key, value) in zip(["1%", "5%", "10%"], expected["critical_values"] as! [Double]) {
            #expect(abs(critical[key]! - value) <= Self.tolerance, "\(key)")
        }
    }

    @Test func pairsScanWritesStatsmodelsRowsRankedByPValue() throws {
        let folder = TestPaths.temporaryFolder()
        let out = folder + "/pairs.csv"
        let run = try peregrine(["pairs", "scan", "--data", TestPaths.fixture("stats"), "--out", out])
        #expect(run.status == 0, "\(run.error)")
        let ours = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let theirs = try String(contentsOfFile: TestPaths.fixture("stats_pairs_scan.csv"), encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(ours.first == theirs.first)
        #expect(ours.first?.joined(separator: ",") == "y,x,rows,intercept,hedge_ratio,t_statistic,p_value,half_life")
        #expect(ours.count == 13 && theirs.count == 13)
        for (mine, reference) in zip(ours.dropFirst(), theirs.dropFirst()) {
            #expect(mine[0...2] == reference[0...2], "\(mine) vs \(reference)")
            for column in 3...7 {
                if reference[column].isEmpty {
                    #expect(mine[column].isEmpty)
                    continue
                }
                let a = Double(mine[column])!, b = Double(reference[column])!
                #expect(abs(a - b) <= Self.tolerance * max(1, abs(b)), "\(mine[0]) on \(mine[1]) column \(column): \(a) vs \(b)")
            }
        }
        let pValues = ours.dropFirst().map { Double($0[6])! }
        #expect(pValues == pValues.sorted())
    }

    @Test func johansenHurstAndKalmanHedgeRun() throws {
        let folder = TestPaths.temporaryFolder()
        let johansen = try peregrine(["stats", "johansen", "--data", TestPaths.fixture("stats/orcl.csv"), "--data", TestPaths.fixture("stats/nvda.csv"),
                                      "--data", TestPaths.fixture("stats/pair_x.csv"), "--out", folder + "/johansen.json"])
        #expect(johansen.status == 0, "\(johansen.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/johansen.json"))) as! [String: Any]
        let expected = (try Self.reference()["johansen"] as! [[String: Any]]).first { $0["det_order"] as! Int == 0 && $0["k_ar_diff"] as! Int == 1 }!
        for (a, b) in zip(json["trace"] as! [Double], expected["trace"] as! [Double]) { #expect(abs(a - b) <= Self.tolerance) }
        #expect(json["rows"] as? Int == 395)
        let hurst = try peregrine(["stats", "hurst", "--data", TestPaths.fixture("stats/orcl.csv"), "--log", "--out", folder + "/hurst.json"])
        #expect(hurst.status == 0, "\(hurst.error)")
        let hedge = try peregrine(["pairs", "hedge", "--data", TestPaths.fixture("stats/pair_y.csv"), "--data", TestPaths.fixture("stats/pair_x.csv"),
                                   "--out", folder + "/hedge.csv"])
        #expect(hedge.status == 0, "\(hedge.error)")
        let lines = try String(contentsOfFile: folder + "/hedge.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "timestamp,y,x,hedge_ratio,intercept,spread,zscore")
        #expect(lines.count == 386)
    }

    @Test func badInputGetsAClearError() throws {
        let folder = TestPaths.temporaryFolder()
        let unknown = try peregrine(["stats", "adf", "--data", TestPaths.fixture("stats/orcl.csv"), "--regression", "ctt"])
        #expect(unknown.status != 0 && unknown.error.contains("--regression 'ctt'"), "\(unknown.error)")

        let short = folder + "/short.csv"
        try "timestamp,open,high,low,close,volume\n2024-01-02,1,1,1,1,10\n2024-01-03,2,2,2,2,10\n2024-01-04,1,1,1,1,10\n"
            .write(toFile: short, atomically: true, encoding: .utf8)
        let tooFew = try peregrine(["stats", "adf", "--data", short])
        #expect(tooFew.status != 0 && tooFew.error.contains("short.csv") && tooFew.error.contains("needs at least"), "\(tooFew.error)")

        let flat = folder + "/flat.csv"
        var text = "timestamp,open,high,low,close,volume\n"
        for day in 1...28 { text += "2024-02-\(String(format: "%02d", day)),5,5,5,5,10\n" }
        try text.write(toFile: flat, atomically: true, encoding: .utf8)
        let constant = try peregrine(["stats", "adf", "--data", flat])
        #expect(constant.status != 0 && constant.error.contains("flat.csv") && constant.error.contains("constant"), "\(constant.error)")
        let pairWithConstant = try peregrine(["pairs", "scan", "--data", flat, "--data", TestPaths.fixture("stats/orcl.csv"), "--out", folder + "/p.csv"])
        #expect(pairWithConstant.status != 0 && pairWithConstant.error.contains("flat.csv: every close is the same"), "\(pairWithConstant.error)")

        let nan = folder + "/nan.csv"
        try "timestamp,open,high,low,close,volume\n2024-01-02,1,1,1,1,10\n2024-01-03,2,2,2,nan,10\n"
            .write(toFile: nan, atomically: true, encoding: .utf8)
        let notANumber = try peregrine(["stats", "adf", "--data", nan])
        #expect(notANumber.status != 0 && notANumber.error.contains("nan.csv") && notANumber.error.contains("nan.csv:3") && notANumber.error.contains("NaN"), "\(notANumber.error)")

        let one = try peregrine(["pairs", "scan", "--data", TestPaths.fixture("stats/orcl.csv"), "--out", folder + "/p.csv"])
        #expect(one.status != 0 && one.error.contains("at least two series"), "\(one.error)")
    }

    @Test func helpHasExamples() throws {
        for command in [["stats", "adf"], ["pairs", "scan"], ["stats", "johansen"], ["stats", "hurst"], ["pairs", "hedge"]] {
            let help = try peregrine(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.output.contains("peregrine \(command.joined(separator: " ")) --data"), "\(command)")
        }
    }
}
