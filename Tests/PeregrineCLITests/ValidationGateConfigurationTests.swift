import Foundation
import PeregrineData
import PeregrineTestSupport
import Testing

/// The validation gate's thresholds from a `[validation]` table: `--gate FILE` for backtest and
/// walk-forward, the configuration file for the live gate; bad values refused with the key and file.
@Suite struct ValidationGateConfigurationTests {
    static let lenient = """
        [validation]
        min_trades = 0
        min_win_rate = 0
        min_sharpe = -100
        min_oos_ratio = -100
        max_drawdown = 1
        min_deflated_sharpe = 0
        """

    @Test func theTableIsReadKeyByKey() throws {
        let settings = try #require(try ValidationSettings.parse("[validation]\nmin_trades = 30\nmin_deflated_sharpe = 0.9\n"))
        #expect(settings.minimumTrades == 30 && settings.minimumDeflatedSharpe == 0.9 && settings.minimumSharpe == nil)
        #expect(try ValidationSettings.parse("[risk]\nmax_position = 0.1\n") == nil)
        #expect(throws: ConfigurationFileError.self) { try ValidationSettings.parse("[validation]\nmin_sharp = 1\n") }
        do {
            _ = try ValidationSettings.parse("[validation]\nmin_win_rate = 2\n", source: "gate.toml")
            Issue.record("a win rate of 2 was accepted")
        } catch { #expect(error.description.contains("gate.toml: validation.min_win_rate"), "\(error.description)") }
    }

    /// The same backtest: NO-GO under the default gate (few round trips, low Sharpe on a random walk),
    /// GO under a gate file that asks for nothing.
    @Test func backtestJudgesWithTheGateFile() throws {
        let folder = TestPaths.temporaryFolder()
        try Self.lenient.write(toFile: folder + "/gate.toml", atomically: true, encoding: .utf8)
        let data = "synthetic:bars=400,seed=5,interval=1d"
        let strict = try peregrine(["backtest", "--data", data, "--strategy", "sma-cross"])
        #expect(strict.status == 0, "\(strict.error)")
        #expect(strict.output.contains("NO-GO: "), "\(strict.output)")
        let lenient = try peregrine(["backtest", "--data", data, "--strategy", "sma-cross", "--gate", folder + "/gate.toml"])
        #expect(lenient.status == 0 && lenient.output.range(of: #"validation\s+GO"#, options: .regularExpression) != nil, "\(lenient.output)")
        try "[validation]\nmax_drawdown = -1\n".write(toFile: folder + "/bad.toml", atomically: true, encoding: .utf8)
        let bad = try peregrine(["backtest", "--data", data, "--strategy", "sma-cross", "--gate", folder + "/bad.toml"])
        #expect(bad.status != 0 && bad.error.contains("validation.max_drawdown"), "\(bad.error)")
        let none = try peregrine(["backtest", "--data", data, "--strategy", "sma-cross", "--gate", folder + "/missing.toml"])
        #expect(none.status != 0 && none.error.contains("missing.toml"), "\(none.error)")
    }

    /// Walk-forward's verdict names the deflated Sharpe under the default threshold and not under a
    /// gate file that sets it to 0; --min-deflated-sharpe on the command line wins over the file.
    @Test func walkForwardTakesTheDeflatedSharpeThresholdFromTheFile() throws {
        let folder = TestPaths.temporaryFolder()
        try "[validation]\nmin_deflated_sharpe = 0\n".write(toFile: folder + "/gate.toml", atomically: true, encoding: .utf8)
        let base = ["walkforward", "--data", "synthetic:bars=900,seed=8,interval=1d", "--grid", "fast=5..15:5", "--grid", "slow=30,60",
                    "--in-sample", "300", "--out-of-sample", "150"]
        func verdict(_ extra: [String]) throws -> String {
            let run = try peregrine(base + extra)
            #expect(run.status == 0, "\(run.error)")
            return run.output.split(separator: "\n").first { $0.hasPrefix("validation") }.map(String.init) ?? ""
        }
        #expect(try verdict([]).contains("deflated Sharpe"))
        #expect(try !verdict(["--gate", folder + "/gate.toml"]).contains("deflated Sharpe"))
        #expect(try verdict(["--gate", folder + "/gate.toml", "--min-deflated-sharpe", "1"]).contains("deflated Sharpe"))
    }
}
