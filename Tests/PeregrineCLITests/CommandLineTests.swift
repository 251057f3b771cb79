import Foundation
import PeregrineTestSupport
import Testing

/// Runs the built `peregrine` binary as a user would.
func peregrine(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    try PeregrineProcess.run(arguments)
}

@Suite(.serialized) struct CommandLineTests {
    @Test func demoBacktestWritesEveryFile() throws {
        let folder = TestPaths.temporaryFolder()
        let run = try peregrine(["backtest", "--data", "synthetic:bars=20000", "--out", folder])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("final equity"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) as! [String: Any]
        for key in ["bars", "trade_count", "fill_count", "final_equity", "total_return", "sharpe", "sortino", "max_drawdown",
                    "calmar", "win_rate", "profit_factor", "load_seconds", "run_seconds"] {
            #expect(summary[key] != nil, "summary.json lacks \(key)")
        }
        #expect(summary["bars"] as? Int == 20_000)
        let fills = try String(contentsOfFile: folder + "/fills.csv", encoding: .utf8).split(separator: "\n")
        #expect(fills.first == "timestamp,symbol,side,quantity,price,commission,client_order_id,multiplier")
        #expect(fills.count - 1 == summary["fill_count"] as? Int)
        // Cash in summary.json equals the initial cash minus the fills' signed notional and fees, exactly.
        var cash = Decimal(1_000_000)
        for line in fills.dropFirst() {
            let f = line.split(separator: ",")
            let notional = Decimal(string: String(f[3]))! * Decimal(string: String(f[4]))!
            cash += (f[2] == "buy" ? -notional : notional) - Decimal(string: String(f[5]))!
        }
        #expect(cash == (summary["cash"] as! NSNumber).decimalValue)
        for name in ["trades.csv", "equity.csv", "orders.csv", "decisions.csv"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name))
        }
    }

    @Test func badOptionsSayWhatIsWrongAndWhatWouldBeRight() throws {
        let cases: [([String], String)] = [
            (["backtest", "--data", "synthetic:bars=100", "--commission", "lots"], "per-share:0.005"),
            (["backtest", "--data", "synthetic:bars=100", "--fill", "tomorrow"], "next-open or close"),
            (["backtest", "--data", "synthetic:bars=100", "--strategy", "moon"], "available: sma-cross"),
            (["backtest", "--data", "synthetic:bars=100", "--param", "fats=3"], "no parameter fats"),
            (["backtest", "--data", "synthetic:bars=100", "--param", "fast=50", "--param", "slow=20"], "fast < slow"),
            (["backtest", "--data", "/no/such.csv"], "no such file"),
            (["backtest", "--data", "synthetic:colour=red"], "unknown option 'colour'"),
            (["backtest", "--data", "synthetic:bars=100", "--timezone", "Mars/Olympus"], "not a known zone"),
        ]
        for (arguments, words) in cases {
            let run = try peregrine(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.error.contains(words), "\(arguments): \(run.error)")
        }
    }

    @Test func indicatorsWriteNamedColumnsEmptyDuringWarmUp() throws {
        let data = TestPaths.temporaryFolder() + "/bars.csv"
        #expect(try peregrine(["data", "generate", "--out", data, "--bars", "300"]).status == 0)
        let out = TestPaths.temporaryFolder() + "/ind.csv"
        let run = try peregrine(["indicators", "--data", data, "--indicator", "sma:20", "--indicator", "bbands:20,2",
                                 "--indicator", "macd:12,26,9", "--indicator", "rsi:14", "--out", out])
        #expect(run.status == 0, "\(run.error)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "timestamp,sma_20,bb_upper_20_2,bb_middle_20_2,bb_lower_20_2,macd_12_26_9,macd_signal_12_26_9,"
            + "macd_hist_12_26_9,rsi_14")
        // Row 19 (line 20) is the first SMA; MACD needs 33 bars; RSI 14.
        let row19 = lines[20].split(separator: ",", omittingEmptySubsequences: false)
        #expect(!row19[1].isEmpty && row19[5].isEmpty && !row19[8].isEmpty)
        #expect(lines[19].split(separator: ",", omittingEmptySubsequences: false)[1].isEmpty)
        let bad = try peregrine(["indicators", "--data", data, "--indicator", "sma:2.5", "--out", out])
        #expect(bad.status != 0 && bad.error.contains("whole number"))
    }

    @Test func sweepRanksCombinationsAndAgreesWithBacktest() throws {
        let data = TestPaths.temporaryFolder() + "/bars.csv"
        #expect(try peregrine(["data", "generate", "--out", data, "--bars", "20000", "--seed", "4"]).status == 0)
        let out = TestPaths.temporaryFolder()
        let run = try peregrine(["sweep", "--data", data, "--grid", "fast=5..15:5", "--grid", "slow=20..60:20",
                                 "--constraint", "fast<slow", "--objective", "final_equity", "--out", out])
        #expect(run.status == 0, "\(run.error)")
        let rows = try String(contentsOfFile: out + "/results.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 9)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        #expect(summary["combinations"] as? Int == 9 && summary["bars"] as? Int == 20_000)
        let best = summary["best"] as! [String: Any]
        let equities = rows.dropFirst().map { Double($0.split(separator: ",")[5])! }
        #expect((best["final_equity"] as! NSNumber).doubleValue == equities.max())
        let check = try peregrine(["backtest", "--data", data, "--param", "fast=\(best["fast"]!)", "--param", "slow=\(best["slow"]!)",
                                   "--out", TestPaths.temporaryFolder() + "/bt"])
        #expect(check.output.contains("final equity       \(String(format: "%.2f", equities.max()!))"))
        #expect(FileManager.default.fileExists(atPath: out + "/heatmap.svg"))
        let bad = try peregrine(["sweep", "--data", data, "--grid", "fast=5..x"])
        #expect(bad.status != 0 && bad.error.contains("name=from..to"))
    }

    @Test func sweepHalvingStoresItsSurvivorsAndStressWritesEveryScenario() throws {
        let data = TestPaths.temporaryFolder() + "/bars.csv"
        #expect(try peregrine(["data", "generate", "--out", data, "--bars", "9000", "--seed", "5"]).status == 0)
        let store = TestPaths.temporaryFolder() + "/sweeps.sqlite"
        let out = TestPaths.temporaryFolder()
        let run = try peregrine(["sweep", "--data", data, "--grid", "fast=2..20:2", "--grid", "slow=10..90:10", "--constraint", "fast<slow",
                                 "--search", "halving:3:2", "--store", store, "--out", out])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("rung 1: 83 combinations on the first 3000 bars") && run.output.contains("rung 2: 28 combinations on the first 9000 bars"),
                "\(run.output)")
        #expect(try String(contentsOfFile: out + "/results.csv", encoding: .utf8).split(separator: "\n").count == 1 + 28)
        let runs = try peregrine(["db", "runs", "--store", store])
        #expect(runs.output.contains("sweep"), "\(runs.output)")
        #expect(try peregrine(["sweep", "--data", data, "--search", "halving:1"]).error.contains("halving"))

        let stress = try peregrine(["stress", "--data", data, "--declines", "2", "--out", out + "/stress"])
        #expect(stress.status == 0, "\(stress.error)")
        let rows = try String(contentsOfFile: out + "/stress/stress.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 6 && rows[1].hasPrefix("baseline,9000,"), "\(rows)")
        #expect(try peregrine(["stress", "--data", data, "--gap", "2"]).error.contains("--gap"))
    }

    @Test func walkforwardWritesWindowsAndAVerdict() throws {
        let data = TestPaths.temporaryFolder() + "/daily.csv"
        #expect(try peregrine(["data", "generate", "--out", data, "--bars", "2000", "--interval", "1d", "--seed", "6"]).status == 0)
        let out = TestPaths.temporaryFolder()
        let run = try peregrine(["walkforward", "--data", data, "--grid", "fast=5..20:5", "--grid", "slow=30..90:30",
                                 "--in-sample", "600", "--out-of-sample", "200", "--holdout", "0.1", "--out", out,
                                 "--report", out + "/wf.html"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("validation") && run.output.contains("holdout"))
        let windows = try String(contentsOfFile: out + "/windows.csv", encoding: .utf8).split(separator: "\n")
        #expect(windows.count == 1 + 6)  // 1,800 usable bars: out-of-sample 600..1800 in windows of 200
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        #expect(summary["windows"] as? Int == 6 && (summary["validation"] as? String)?.isEmpty == false)
        let page = try String(contentsOfFile: out + "/wf.html", encoding: .utf8)
        #expect(page.components(separatedBy: "<svg").count - 1 == 8 && !page.lowercased().contains("<script"))
        #expect(page.contains("<tr><td class=\"left\">6</td>") && page.contains("<tr><td class=\"left\">holdout</td>"))
    }

    @Test func montecarloWritesDistributionsAndAFanChart() throws {
        let out = TestPaths.temporaryFolder()
        let run = try peregrine(["montecarlo", "--data", "synthetic:bars=20000,seed=2", "--method", "shuffle", "--paths", "100", "--out", out])
        #expect(run.status == 0, "\(run.error)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        let final = summary["final_equity"] as! [String: Double]
        // A shuffle keeps every path's final equity: all percentiles equal.
        #expect(final["p5"] == final["p95"])
        #expect(try String(contentsOfFile: out + "/fan_chart.svg", encoding: .utf8).contains("<polygon"))
        let bad = try peregrine(["montecarlo", "--data", "synthetic:bars=1000", "--method", "dice"])
        #expect(bad.status != 0 && bad.error.contains("trades, shuffle, blocks, gbm"))
    }

    /// montecarlo, stress and tune take the run options of backtest: a rules strategy with its own
    /// cash, costs, size and risk limits gives montecarlo's backtest and stress's baseline exactly the
    /// backtest's final equity and round trips.
    @Test func researchCommandsRunRulesWithTheRunOptionsOfBacktest() throws {
        let data = "synthetic:bars=3000,interval=1d,seed=11"
        let options = ["--rule", "entry=crosses_above(sma(close, 10), sma(close, 30))",
                       "--rule", "exit=crosses_below(sma(close, 10), sma(close, 30))",
                       "--cash", "250000", "--commission", "per-share:0.01", "--quantity", "50", "--risk", "default"]
        let out = TestPaths.temporaryFolder()
        let backtest = try peregrine(["backtest", "--data", data, "--out", out + "/bt"] + options)
        #expect(backtest.status == 0, "\(backtest.error)")
        func value(_ label: String) -> String? {
            backtest.output.split(separator: "\n").first { $0.hasPrefix(label) }?.split(separator: " ").last.map(String.init)
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/bt/summary.json"))) as! [String: Any]
        let trips = try #require(summary["trade_count"] as? Int)
        let finalEquity = try #require(value("final equity"))
        // The options reached the backtest: 250,000 cash, and 0.50 per fill of 50 shares.
        #expect(trips > 10 && abs(Double(finalEquity)! - 250_000) < 25_000, "\(backtest.output)")
        #expect((summary["commissions"] as! NSNumber).doubleValue == 0.5 * Double(summary["fill_count"] as! Int))

        let montecarlo = try peregrine(["montecarlo", "--data", data, "--paths", "20"] + options)
        #expect(montecarlo.status == 0, "\(montecarlo.error)")
        #expect(montecarlo.output.contains("\(trips) round trips, final equity \(finalEquity)"), "\(montecarlo.output)")

        let stress = try peregrine(["stress", "--data", data, "--declines", "1", "--out", out + "/stress"] + options)
        #expect(stress.status == 0, "\(stress.error)")
        let baseline = try #require(try String(contentsOfFile: out + "/stress/stress.csv", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("baseline,") }).split(separator: ",")
        // scenario,bars,market_return,total_return,max_drawdown,round_trips,fills,rejections,final_equity,detail
        #expect(Int(baseline[5]) == trips && Int(baseline[6]) == summary["fill_count"] as? Int)
        #expect(Decimal(string: String(baseline[8])) == Decimal(string: finalEquity), "\(baseline) vs \(finalEquity)")

        // A rule's $parameter is tuned like any other; not given, its base is the middle of the range.
        let tune = try peregrine(["tune", "--data", data, "--rule", "entry=rsi(close, 14) < $low", "--rule", "exit=rsi(close, 14) > 70",
                                  "--tune", "low=20..40", "--samples", "5", "--burn-in", "1", "--commission", "bps:5"])
        #expect(tune.status == 0, "\(tune.error)")
        #expect(tune.output.split(separator: "\n").contains { $0.hasPrefix("base ") && $0.hasSuffix("low=30.0") }, "\(tune.output)")

        for command in [["montecarlo"], ["stress"], ["tune", "--tune", "min_prob_up=0.5..0.6"]] {
            let bad = try peregrine(command + ["--data", data, "--param", "fats=3"])
            #expect(bad.status != 0 && bad.error.contains("no parameter fats"), "\(command): \(bad.error)")
        }
    }

    /// `--rules FILE` is the same strategy as the `--rule`s it holds (comments, blank lines and
    /// spacing aside); a `--rule` of the same role overrides the file's; mistakes name file:line:column.
    @Test func rulesFileRunsTheSameBacktestAsRuleOptions() throws {
        let folder = TestPaths.temporaryFolder()
        let data = ["--data", "synthetic:bars=6000,seed=3", "--param", "fast=8", "--param", "slow=40"]
        let entry = "crosses_above(sma(close, $fast), sma(close, $slow)) and rsi(close, 14) < 70"
        let exit = "crosses_below(sma(close, $fast), sma(close, $slow)) or bars_held >= 50"
        func run(_ name: String, _ arguments: [String]) throws -> (output: [Substring], decisions: String) {
            let run = try peregrine(["backtest"] + data + arguments + ["--decisions", folder + "/" + name + ".csv"])
            #expect(run.status == 0, "\(name): \(run.error)")
            // Every line of the summary but the timings.
            return (run.output.split(separator: "\n").filter { !$0.hasPrefix("load / run") && !$0.hasPrefix("wrote") },
                    try String(contentsOfFile: folder + "/" + name + ".csv", encoding: .utf8))
        }
        let options = try run("options", ["--rule", "entry=" + entry, "--rule", "exit=" + exit])
        #expect(options.decisions.split(separator: "\n").count > 20 && options.decisions.contains(",close_long,"))

        let file = folder + "/trend.rules"
        try "# trend with an RSI filter\n\n   entry   =  \(entry)   # long only\n\texit=\(exit)\n\n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try run("file", ["--rules", file])
        #expect(fromFile.output == options.output)
        #expect(fromFile.decisions == options.decisions)

        // The file's exit never holds; the --rule given for exit replaces it.
        let overridden = folder + "/overridden.rules"
        try "entry = \(entry)\nexit = close < 0\n".write(toFile: overridden, atomically: true, encoding: .utf8)
        let override = try run("override", ["--rules", overridden, "--rule", "exit=" + exit])
        #expect(override.decisions == options.decisions)

        let cases: [(String, String)] = [
            // `rsi(close 14)`: the 14 is the expression's 11th character, which starts at column 9 of line 3.
            ("# comment\n\nentry = rsi(close 14) < 30\n", "bad.rules:3:19: expected ',' or ')'"),
            ("entry = close > 1\nexit close < 1\n", "bad.rules:2:1: expected role = expression"),
            ("entry = close > 1\nexits = close < 1\n", "bad.rules:2:1: 'exits' is not a role"),
            ("entry = close > 1\nentry = close > 2\n", "bad.rules:2:1: entry is given twice (first on line 1)"),
            // A type error, found once $n is known: `and` at the expression's 24th character, line column 31.
            ("entry = close > 1\nexit = close > sma(close, $n) and 3\n", "bad.rules:2:31: 'and' joins two conditions"),
        ]
        for (text, words) in cases {
            let path = folder + "/bad.rules"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let bad = try peregrine(["backtest", "--data", "synthetic:bars=300", "--rules", path, "--param", "n=10"])
            #expect(bad.status != 0 && bad.error.contains(path.dropLast("bad.rules".count) + words), "\(bad.error)")
        }
    }

    @Test func validateReportsBadRowsAndFails() throws {
        let path = TestPaths.temporaryFolder() + "/bad.csv"
        try "timestamp,open,high,low,close,volume\n2024-01-02,1,2,0.5,1,10\n2024-01-03,1,2,0.5,nan,10\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let run = try peregrine(["data", "validate", path])
        #expect(run.status == 1)
        #expect(run.output.contains("bad.csv:3: close: value is NaN"))
    }

    /// The files `data resample` writes are pandas' byte for byte (the fixtures of
    /// scripts/fixtures/make_resample_fixtures.py): ISO 8601 UTC for intraday bars, the local date for
    /// days, decimals as written; and a timeframe the bars cannot fill is refused with their interval.
    @Test(arguments: [
        (["resample_fesx_1min.csv", "--to", "5Min", "--timezone", "Europe/Berlin"], "resample_fesx_5min.csv"),
        (["resample_fesx_1min.csv", "--to", "1D", "--timezone", "Europe/Berlin"], "resample_fesx_1d.csv"),
        (["resample_eurusd_1h.csv", "--to", "4H", "--timezone", "UTC"], "resample_eurusd_4h.csv"),
        (["resample_eurusd_1h.csv", "--to", "1D", "--timezone", "UTC", "--period-timezone", "America/New_York"],
         "resample_eurusd_1d_new_york.csv"),
    ])
    func resampleWritesPandasFiles(_ arguments: [String], _ expected: String) throws {
        let out = TestPaths.temporaryFolder() + "/out.csv"
        let run = try peregrine(["data", "resample", "--data", TestPaths.fixture(arguments[0]), "--out", out] + arguments.dropFirst())
        #expect(run.status == 0, "\(run.error)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == String(contentsOfFile: TestPaths.fixture(expected), encoding: .utf8))
    }

    @Test func resampleRefusesWhatTheBarsCannotFill() throws {
        let out = TestPaths.temporaryFolder() + "/out.csv"
        let hourly = TestPaths.fixture("resample_eurusd_1h.csv")
        let cases: [([String], String)] = [
            (["--data", hourly, "--to", "30Min"], "resample_eurusd_1h.csv: the bars are 1 hour apart, so 30Min is not a coarser timeframe"),
            (["--data", hourly, "--to", "90Min"], "is not a whole number of them"),
            (["--data", hourly, "--to", "7Min"], "--to '7Min' is not a timeframe; use 5Min, 15Min, 30Min, 1H, 4H or 1D"),
            (["--data", hourly, "--to", "1D", "--period-timezone", "Mars/Olympus"], "--period-timezone 'Mars/Olympus' is not a known zone"),
            (["--data", hourly, "--data", hourly, "--to", "1D"], "give one --data file"),
        ]
        for (arguments, words) in cases {
            let run = try peregrine(["data", "resample", "--out", out] + arguments)
            #expect(run.status != 0 && run.error.contains(words), "\(arguments): \(run.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func generateThenBacktestTheFile() throws {
        let path = TestPaths.temporaryFolder() + "/gen.csv"
        let gen = try peregrine(["data", "generate", "--out", path, "--bars", "5000", "--seed", "9"])
        #expect(gen.status == 0, "\(gen.error)")
        let fromFile = try peregrine(["backtest", "--data", path])
        let fromMemory = try peregrine(["backtest", "--data", "synthetic:bars=5000,seed=9"])
        func line(_ text: String, _ label: String) -> Substring? { text.split(separator: "\n").first { $0.hasPrefix(label) } }
        #expect(line(fromFile.output, "final equity") == line(fromMemory.output, "final equity"))
        #expect(line(fromFile.output, "fills") == line(fromMemory.output, "fills"))
    }

    @Test func backtestStoreThenDbShowsTheRunAndImportIsIdempotent() throws {
        let store = TestPaths.temporaryFolder() + "/p.sqlite"
        let run = try peregrine(["backtest", "--data", "synthetic:bars=3000,seed=4", "--store", store])
        #expect(run.status == 0, "\(run.error)")
        func value(_ label: String) -> String? {
            run.output.split(separator: "\n").first { $0.hasPrefix(label) }?.split(separator: " ").last.map(String.init)
        }
        let runs = try peregrine(["db", "runs", "--store", store])
        let row = try #require(runs.output.split(separator: "\n").dropFirst().first).split(separator: " ", omittingEmptySubsequences: true)
        // id, kind, strategy, bars, decisions, orders, fills, initial, ->, final
        #expect(row[0] == "1" && row[1] == "backtest" && row[3] == "3000")
        #expect(String(row[6]) == value("fills"))
        #expect(Decimal(string: String(row[9])) == value("final equity").flatMap { Decimal(string: $0) })
        let fills = try peregrine(["db", "fills", "--store", store, "--run", "1", "--limit", "0"])
        #expect(fills.output.split(separator: "\n").count - 1 == Int(value("fills") ?? ""))

        let first = try peregrine(["data", "import", "--store", store, "--data", "synthetic:bars=500,seed=4", "--symbol", "SYN"])
        let second = try peregrine(["data", "import", "--store", store, "--data", "synthetic:bars=500,seed=4", "--symbol", "SYN"])
        #expect(first.output.contains("500 new bars for SYN") && second.output.contains("0 new bars for SYN (500 already stored)"),
                "\(first.output) \(first.error) \(second.output)")
        let missing = try peregrine(["db", "runs", "--store", TestPaths.temporaryFolder() + "/none.sqlite"])
        #expect(missing.status != 0 && missing.error.contains("no such file"))
    }

    @Test func tuneSamplesThresholdsAndWritesThePosterior() throws {
        let out = TestPaths.temporaryFolder()
        let run = try peregrine(["tune", "--data", "synthetic:bars=800,interval=1d,seed=8", "--strategy", "signaling-game",
                                 "--tune", "min_confidence=0..0.3", "--tune", "min_prob_up=0.5..0.7", "--objective", "total_return",
                                 "--samples", "30", "--burn-in", "10", "--seed", "4", "--out", out])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("signals computed once") && run.output.contains("median"))
        let rows = try String(contentsOfFile: out + "/samples.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows[0] == "chain,iteration,burn_in,min_confidence,min_prob_up,total_return,accepted" && rows.count == 1 + 2 * 40)
        for row in rows.dropFirst() {
            let cells = row.split(separator: ",")
            #expect((0...0.3).contains(Double(cells[3])!) && (0.5...0.7).contains(Double(cells[4])!))
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        #expect(summary["backtests"] as? Int == 80 && summary["holdout_bars"] as? Int == 240)
        let posterior = try #require(summary["posterior_min_prob_up"] as? [String: Double])
        #expect(posterior["p5"]! <= posterior["median"]! && posterior["median"]! <= posterior["p95"]!)
        // The same seed gives the same chains.
        let again = TestPaths.temporaryFolder()
        _ = try peregrine(["tune", "--data", "synthetic:bars=800,interval=1d,seed=8", "--tune", "min_confidence=0..0.3", "--tune",
                           "min_prob_up=0.5..0.7", "--objective", "total_return", "--samples", "30", "--burn-in", "10", "--seed", "4", "--out", again])
        #expect(try String(contentsOfFile: again + "/samples.csv", encoding: .utf8) == rows.joined(separator: "\n") + "\n")
        let bad = try peregrine(["tune", "--data", "synthetic:bars=800", "--tune", "min_prob_up=0.7..0.5"])
        #expect(bad.status != 0 && bad.error.contains("--tune 'min_prob_up=0.7..0.5'"))
        let unknown = try peregrine(["tune", "--data", "synthetic:bars=800", "--tune", "nonsense=0..1"])
        #expect(unknown.status != 0 && unknown.error.contains("nonsense"), "\(unknown.error)")
    }

    @Test func portfolioSharesCapitalAndContinuesFromTheStore() throws {
        let out = TestPaths.temporaryFolder()
        let store = out + "/pf.sqlite"
        let arguments = ["portfolio", "--data", "synthetic:bars=1200,interval=1d,seed=5", "--sleeve", "sma-cross:percent=0.9",
                         "--sleeve", "buy-and-hold", "--rebalance", "50", "--store", store]
        let first = try peregrine(arguments + ["--out", out])
        #expect(first.status == 0, "\(first.error)")
        #expect(!first.output.contains("continued"))
        let weights = try String(contentsOfFile: out + "/weights.csv", encoding: .utf8).split(separator: "\n")
        #expect(weights.count == 1 + 25)  // the header, the start and after every 50 bars
        for row in weights.dropFirst() {
            let w = row.split(separator: ",")[2...3].map { Double($0)! }
            #expect(abs(w[0] + w[1] - 1) < 1e-9 && w.allSatisfy { $0 >= 0.05 - 1e-9 })
            let moved = row.split(separator: ",")[4...5].map { Double($0)! }
            #expect(moved[0] == -moved[1], "\(row)")
        }
        let fills = try String(contentsOfFile: out + "/fills.csv", encoding: .utf8).split(separator: "\n")
        #expect(fills.contains { $0.hasPrefix("\"sma-cross:percent=0.9\",") } && fills.contains { $0.hasPrefix("\"buy-and-hold\",") })
        let second = try peregrine(arguments)
        #expect(second.status == 0 && second.output.contains("continued from the store (24 earlier rebalances)"), "\(second.output)")
        let fixed = try peregrine(["portfolio", "--data", "synthetic:bars=1200,interval=1d,seed=5", "--sleeve", "sma-cross:percent=0.9",
                                   "--sleeve", "buy-and-hold", "--allocation", "static:0.6,0.4"])
        #expect(fixed.status == 0 && fixed.output.contains("60.0") && fixed.output.contains("40.0"), "\(fixed.output)")
        let bad = try peregrine(["portfolio", "--data", "synthetic:bars=300", "--sleeve", "sma-cross", "--sleeve", "nope"])
        #expect(bad.status != 0 && bad.error.contains("sleeve nope: unknown strategy"), "\(bad.error)")
    }

    @Test func adaptReadsTheStoredTradesOfARun() throws {
        let store = TestPaths.temporaryFolder() + "/adapt.sqlite"
        let backtest = try peregrine(["backtest", "--data", "synthetic:bars=1500,interval=1d,seed=21", "--strategy", "signaling-game",
                                      "--param", "min_prob_up=0.5", "--param", "min_confidence=0.02", "--store", store])
        #expect(backtest.status == 0, "\(backtest.error)")
        let run = try peregrine(["adapt", "--store", store, "--run", "1", "--current", "0.5"])
        #expect(run.status == 0, "\(run.error)")
        let closed = try #require(run.output.split(separator: "\n").first.flatMap { Int($0.split(separator: " ")[0]) })
        #expect(closed > 10 && run.output.contains("threshold  trades  win rate  P(edge)"))
        // The first row counts every closed trade (all of them cleared 0.50).
        #expect(run.output.contains("\n0.500      \(closed) "), "\(run.output)")
        #expect(run.output.contains("min_prob_up 0.500 -> "), "\(run.output)")
        let trading = try peregrine(["adapt", "--store", store])
        #expect(trading.status != 0 && trading.error.contains("no fills") && trading.error.contains("--run"))
    }

    @Test func backtestOnAScheduleHoldsSignalsBetweenItsTimes() throws {
        let out = TestPaths.temporaryFolder()
        let run = try peregrine(["backtest", "--data", "synthetic:bars=3000,seed=4", "--schedule", "every 30m", "--decisions", out + "/d.csv"])
        #expect(run.status == 0, "\(run.error)")
        let rows = try String(contentsOfFile: out + "/d.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.filter { $0.contains(",off_schedule,") }.count > 50 && rows.contains { $0.contains("deferred from") })
        let bad = try peregrine(["backtest", "--data", "synthetic:bars=300", "--schedule", "hourly"])
        #expect(bad.status != 0 && bad.error.contains("schedule 'hourly'"), "\(bad.error)")
    }

    @Test func backtestWithASizingTableAndRiskShowNamesIt() throws {
        let folder = TestPaths.temporaryFolder()
        let file = folder + "/sizing.toml"
        try "[sizing]\nmethod = \"percent\"\npercent = 0.5\n".write(toFile: file, atomically: true, encoding: .utf8)
        let plain = try peregrine(["backtest", "--data", "synthetic:bars=2000,seed=3", "--out", folder + "/a"])
        let sized = try peregrine(["backtest", "--data", "synthetic:bars=2000,seed=3", "--sizing", file, "--out", folder + "/b"])
        #expect(plain.status == 0 && sized.status == 0, "\(sized.error)")
        let before = try String(contentsOfFile: folder + "/a/fills.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let after = try String(contentsOfFile: folder + "/b/fills.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        // Same trades, other sizes: 100 shares by default, half the equity with the table.
        #expect(before.count == after.count && before.allSatisfy { $0.split(separator: ",")[3] == "100" })
        #expect(after.allSatisfy { Int($0.split(separator: ",")[3])! > 1_000 })
        let shown = try peregrine(["risk", "show", "--config", file])
        #expect(shown.output.contains("[sizing] percent: 50.0% of equity"), "\(shown.output)")
        let missing = try peregrine(["backtest", "--data", "synthetic:bars=200", "--sizing", TestPaths.repository + "/examples/trade.toml"])
        #expect(missing.status != 0 && missing.error.contains("has no [sizing] table"))
    }

    @Test func everyCommandHasHelpWithAnExample() throws {
        for command in [[], ["backtest"], ["sweep"], ["sweep", "collect"], ["walkforward"], ["montecarlo"], ["analyze"], ["indicators"], ["models"], ["models", "hmm"], ["risk"], ["risk", "show"], ["risk", "status"], ["risk", "resume"], ["data"], ["data", "validate"], ["data", "generate"], ["data", "resample"],
                        ["data", "import"], ["data", "download"], ["data", "latest"], ["data", "stream"], ["data", "adjust"], ["data", "corporate-actions"], ["db"], ["exchange"], ["trade"], ["stress"], ["tune"], ["adapt"], ["portfolio"], ["strategies"],
                        ["options"], ["options", "price"], ["options", "iv"], ["run"], ["serve"]] {
            let run = try peregrine(command + ["--help"])
            #expect(run.status == 0)
            #expect(run.output.contains("peregrine "), "\(command)")
            #expect(run.output.contains("Example"), "\(command) --help has no example")
        }
    }

    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
    func analyzeMatchesEmpyrical() throws {
        let out = TestPaths.temporaryFolder() + "/stats.json"
        let run = try peregrine(["analyze", "--data", TestPaths.sharedFile("orcl_daily.csv"), "--out", out])
        #expect(run.status == 0, "\(run.error)")
        let stats = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("analyze_empyrical.json")))) as! [String: Any]
        let expected = (fixture["series"] as! [String: Any])["orcl_daily.csv"] as! [String: Double]
        for key in ["annual_return", "annual_volatility", "sharpe", "sortino", "max_drawdown", "calmar", "var_95", "cvar_95"] {
            let value = (stats[key] as! NSNumber).doubleValue
            #expect(abs(value - expected[key]!) <= 1e-9 * abs(expected[key]!), "\(key): \(value) vs \(expected[key]!)")
        }
    }

    /// Real daily data with every default risk check on: the report counts each refusal by reason.
    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
    func riskChecksAreCountedInTheReport() throws {
        let folder = TestPaths.temporaryFolder()
        for name in ["orcl_daily.csv", "nvda_daily.csv", "aapl_daily_unadjusted.csv"] {
            try FileManager.default.copyItem(atPath: TestPaths.sharedFile(name), toPath: folder + "/" + name)
        }
        let out = TestPaths.temporaryFolder()
        let run = try peregrine(["backtest", "--data", folder, "--strategy", "sma-cross", "--param", "percent=0.14",
                                 "--risk", "default", "--out", out])
        #expect(run.status == 0, "\(run.error)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        let decisions = summary["decisions"] as! [String: Int]
        // The 2000-2002 fall takes this portfolio past the 20% drawdown limit: flatten, then halted.
        #expect((decisions["submitted:kill_switch_flatten"] ?? 0) >= 1)
        #expect((decisions["rejected:kill_switch"] ?? 0) > 100)
        #expect(run.output.contains("kill_switch="))
        let log = try String(contentsOfFile: out + "/decisions.csv", encoding: .utf8)
        #expect(log.contains(",kill_switch,") && log.contains("drawdown"))
    }

    /// Walk-forward and Monte Carlo on ORCL's daily history, with their reports: every window and the
    /// holdout in the walk-forward page, the fan chart in the Monte Carlo page, both self-contained.
    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
    func walkForwardAndMonteCarloReportOnRealData() throws {
        let out = TestPaths.temporaryFolder()
        let data = TestPaths.sharedFile("orcl_daily.csv")
        let wf = try peregrine(["walkforward", "--data", data, "--grid", "fast=5..30:5", "--grid", "slow=40..200:20",
                                "--in-sample", "756", "--out-of-sample", "252", "--holdout", "0.15", "--quantity", "20000",
                                "--out", out + "/wf", "--report", out + "/wf.html"])
        #expect(wf.status == 0, "\(wf.error)")
        let windows = try String(contentsOfFile: out + "/wf/windows.csv", encoding: .utf8).split(separator: "\n").count - 1
        let page = try String(contentsOfFile: out + "/wf.html", encoding: .utf8)
        #expect(windows >= 10 && page.contains("<tr><td class=\"left\">\(windows)</td>") && page.contains(">holdout</td>"))
        #expect(page.contains("ORCL_DAILY") && !page.lowercased().contains("<script"))
        let mc = try peregrine(["montecarlo", "--data", data, "--method", "blocks", "--paths", "300", "--seed", "1",
                                "--out", out + "/mc", "--report", out + "/mc.html"])
        #expect(mc.status == 0, "\(mc.error)")
        let mcPage = try String(contentsOfFile: out + "/mc.html", encoding: .utf8)
        #expect(mcPage.contains("Monte Carlo (300 paths, seed 1)") && mcPage.components(separatedBy: "<svg").count - 1 >= 7)
    }

    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
    func folderRunsAsOnePortfolio() throws {
        let folder = TestPaths.temporaryFolder()
        for name in ["orcl_daily.csv", "nvda_daily.csv"] {
            try FileManager.default.copyItem(atPath: TestPaths.sharedFile(name), toPath: folder + "/" + name)
        }
        let out = TestPaths.temporaryFolder()
        let run = try peregrine(["backtest", "--data", folder, "--quantity", "100", "--out", out])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("NVDA_DAILY, ORCL_DAILY"))  // a folder loads in file-name order
        let fills = try String(contentsOfFile: out + "/fills.csv", encoding: .utf8)
        #expect(fills.contains(",ORCL_DAILY,") && fills.contains(",NVDA_DAILY,"))
    }
}
