import Foundation
import PeregrineTestSupport
import Testing

/// `peregrine options` against QuantLib's numbers in the committed fixture.
@Suite struct OptionsCommandTests {
    @Test func priceAndImpliedVolatilityMatchQuantLib() throws {
        let data = FileManager.default.contents(atPath: TestPaths.fixture("options_quantlib.json"))!
        let fixture = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let row = (fixture["european"] as! [[String: Any]]).first { ($0["vol"] as! Double) == 0.2 && ($0["dividend"] as! Double) == 0.02
            && ($0["rate"] as! Double) == 0.03 && ($0["type"] as! String) == "put" && ($0["spot"] as! Double) == 125
            && ($0["expiry"] as! Double) > 1 }!
        let arguments = ["--type", "put", "--spot", "125", "--strike", "100", "--rate", "0.03", "--dividend", "0.02",
                         "--expiry", String(row["expiry"] as! Double)]
        let priced = try peregrine(["options", "price", "--vol", "0.2", "--json"] + arguments)
        #expect(priced.status == 0, "\(priced.error)")
        let json = try JSONSerialization.jsonObject(with: Data(priced.output.utf8)) as! [String: Double]
        for name in ["price", "delta", "gamma", "vega", "theta", "theta_per_day", "rho", "dividend_rho"] {
            let reference = row[name] as! Double
            #expect(abs(json[name]! - reference) <= 1e-8 * max(1, abs(reference)), "\(name)")
        }
        let implied = try peregrine(["options", "iv", "--price", String(row["price"] as! Double), "--json"] + arguments)
        let vol = (try JSONSerialization.jsonObject(with: Data(implied.output.utf8)) as! [String: Double])["implied_vol"]!
        #expect(abs(vol - 0.2) < 1e-9)
        let refused = try peregrine(["options", "iv", "--price", "130"] + arguments)
        #expect(refused.status != 0 && refused.error.contains("outside the no-arbitrage bounds"))
        let badModel = try peregrine(["options", "price", "--vol", "0.2", "--style", "american", "--model", "bsm"] + arguments)
        #expect(badModel.status != 0 && badModel.error.contains("prices European options"))
    }

    /// `backtest --option-rate` reaches the option model: the same condors on the same bars end at
    /// another equity at 4% than at zero; a rate out of range is refused by name.
    @Test func backtestTakesTheOptionRate() throws {
        let run = ["backtest", "--data", "synthetic:bars=120,seed=4,interval=1d,symbol=SYN", "--strategy", "iron-condor"]
        let zero = try peregrine(run), four = try peregrine(run + ["--option-rate", "0.04"])
        #expect(zero.status == 0 && four.status == 0, "\(zero.error) \(four.error)")
        func line(_ text: String, _ name: String) -> String? { text.split(separator: "\n").first { $0.hasPrefix(name) }.map(String.init) }
        #expect(line(zero.output, "final equity") != nil && line(zero.output, "final equity") != line(four.output, "final equity"))
        #expect(line(zero.output, "round trips") == line(four.output, "round trips"))
        let refused = try peregrine(run + ["--option-rate", "2"])
        #expect(refused.status != 0 && refused.error.contains("--option-rate 2.0: expected a rate from -0.1 to 1"))
    }
}

/// `peregrine options price --model bjs|bjs1993`, `vol`, `strategy` and `smile` against the committed
/// fixtures and hand figures.
@Suite struct OptionsAnalysisCommandTests {
    static func fixture(_ name: String) throws -> [String: Any] {
        let data = FileManager.default.contents(atPath: TestPaths.fixture(name))!
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func json(_ output: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
    }

    @Test func bjerksundStenslandFromTheCommandLine() throws {
        let row = (try Self.fixture("options_quantlib.json")["bjerksund_stensland"] as! [[String: Any]]).first {
            $0["type"] as! String == "put" && $0["spot"] as! Double == 95 && $0["vol"] as! Double == 0.3 && $0["rate"] as! Double == 0.05
                && ($0["expiry"] as! Double) > 0.4 && ($0["expiry"] as! Double) < 0.6
        }!
        let arguments = ["options", "price", "--type", "put", "--style", "american", "--spot", "95", "--strike", "100", "--vol", "0.3",
                         "--rate", "0.05", "--dividend", "0.03", "--expiry", String(row["expiry"] as! Double), "--json"]
        let flat = try peregrine(arguments + ["--model", "bjs1993"])
        #expect(flat.status == 0, "\(flat.error)")
        let flatJSON = try Self.json(flat.output) as! [String: Double]
        #expect(abs(flatJSON["price"]! - (row["price_1993"] as! Double)) < 1e-10)
        #expect(abs(flatJSON["delta"]! - (row["delta_1993"] as! Double)) < 1e-6)
        let twoStep = try Self.json(try peregrine(arguments + ["--model", "bjs"]).output) as! [String: Double]
        #expect(abs(twoStep["price"]! - (row["price_2002"] as! Double)) < 1e-10)
        let european = try peregrine(Array(arguments.filter { $0 != "american" && $0 != "--style" }) + ["--model", "bjs"])
        #expect(european.status != 0 && european.error.contains("give --style american"))
    }

    @Test func volatilityForecastsFromTheCommandLine() throws {
        let reference = try Self.fixture("volatility_arch.json")
        let data = ["options", "vol", "--data", TestPaths.fixture("volatility_garch_bars.csv"), "--json"]
        let garch = try peregrine(data + ["--model", "garch", "--horizon", "10"])
        #expect(garch.status == 0, "\(garch.error)")
        let fitted = try Self.json(garch.output)
        let expected = (reference["garch"] as! [String: Any])["forecast_variances"] as! [Double]
        let ours = fitted["forecast_variances"] as! [Double]
        #expect(ours.count == 10)
        for (a, b) in zip(ours, expected) { #expect(abs(a / b - 1) < 1e-4) }
        let mean = expected.reduce(0, +) / 10
        #expect(abs((fitted["volatility"] as! Double) / (252 * mean).squareRoot() - 1) < 1e-4)
        let historical = try Self.json(try peregrine(data + ["--model", "hist", "--window", "20"]).output)
        #expect(abs((historical["volatility"] as! Double) - (reference["historical_20"] as! Double)) < 1e-12)
        let ewma = try Self.json(try peregrine(data + ["--model", "ewma"]).output)
        #expect(abs((ewma["volatility"] as! Double) - (252 * (reference["ewma_next_variance"] as! Double)).squareRoot()) < 1e-12)
        let bad = try peregrine(data + ["--model", "ewma", "--lambda", "1.5"])
        #expect(bad.status != 0 && bad.error.contains("lambda 1.5"))
    }

    @Test func strategiesFromTheCommandLine() throws {
        let legs = try Self.fixture("options_quantlib.json")["strategy_legs"] as! [[String: Any]]
        func price(_ type: String, _ strike: Double) -> Double {
            legs.first { $0["type"] as! String == type && $0["strike"] as! Double == strike && ($0["expiry"] as! Double) < 0.1 }!["price"] as! Double
        }
        let folder = TestPaths.temporaryFolder()
        let market = ["--spot", "100", "--vol", "0.25", "--rate", "0.03", "--dividend", "0.01", "--expiry", String(30.0 / 365)]
        let condor = try peregrine(["options", "strategy", "iron-condor", "--strikes", "85,95,105,115", "--json", "--plot", folder + "/condor.svg"] + market)
        #expect(condor.status == 0, "\(condor.error)")
        let result = try Self.json(condor.output)
        let credit = price("put", 95) + price("call", 105) - price("put", 85) - price("call", 115)
        let breakEvens = result["break_evens"] as! [Double]
        #expect(breakEvens.count == 2 && abs(breakEvens[0] - (95 - credit)) < 1e-8 && abs(breakEvens[1] - (105 + credit)) < 1e-8)
        #expect(abs((result["max_loss"] as! Double) - (10 - credit)) < 1e-8 && abs((result["cost"] as! Double) + credit) < 1e-8)
        #expect((result["legs"] as! [[String: Any]]).count == 4)
        let svg = try String(contentsOfFile: folder + "/condor.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("<polyline") && svg.contains("break-even") && svg.contains("iron-condor"))

        let straddle = try Self.json(try peregrine(["options", "strategy", "straddle", "--short", "--strikes", "100", "--json"] + market).output)
        #expect(straddle["max_loss"] as? String == "unbounded")
        // The same covered call, named or as custom legs.
        let named = try Self.json(try peregrine(["options", "strategy", "covered-call", "--strikes", "105", "--json"] + market).output)
        let custom = try Self.json(try peregrine(["options", "strategy", "custom", "--legs", "1:stock,-1:call:105", "--json"] + market).output)
        #expect(named["break_evens"] as! [Double] == custom["break_evens"] as! [Double] && named["delta"] as! Double == custom["delta"] as! Double)

        // The same condor's mleg order body: four legs named from the root and date, a net credit limit.
        let order = try Self.json(try peregrine(["options", "strategy", "iron-condor", "--strikes", "85,95,105,115", "--json",
                                                  "--mleg-order", "XYZ:2025-02-14", "--limit-price=-1.95", "--contracts", "3"] + market).output)
        let body = order["mleg_order"] as! [String: Any]
        #expect(body["order_class"] as? String == "mleg" && body["qty"] as? String == "3" && body["limit_price"] as? String == "-1.95")
        #expect((body["legs"] as! [[String: Any]]).map { $0["symbol"] as! String }
            == ["XYZ250214P00085000", "XYZ250214P00095000", "XYZ250214C00105000", "XYZ250214C00115000"])
        let wrongCount = try peregrine(["options", "strategy", "iron-condor", "--strikes", "90,100,110"] + market)
        #expect(wrongCount.status != 0 && wrongCount.error.contains("iron-condor takes 4 strikes, got 3"))
        let unknown = try peregrine(["options", "strategy", "jade-lizard", "--strikes", "100"] + market)
        #expect(unknown.status != 0 && unknown.error.contains("unknown strategy 'jade-lizard'"))
        let badLeg = try peregrine(["options", "strategy", "custom", "--legs", "1:stock,x:call:105"] + market)
        #expect(badLeg.status != 0 && badLeg.error.contains("--legs item 2"))
    }

    /// `--risk` with `--equity`: a covered call's delta-adjusted notional is its shares less the short
    /// calls' delta, by hand: delta of the call N(d1), vega S phi(d1) sqrt(T), at zero rate and yield.
    @Test func strategyPositionsAreCheckedAgainstTheRiskLimits() throws {
        let spot = 100.0, strike = 105.0, vol = 0.25, expiry = 0.0822
        let d1 = (log(spot / strike) + 0.5 * vol * vol * expiry) / (vol * expiry.squareRoot())
        let callDelta = 0.5 * erfc(-d1 / 2.0.squareRoot())
        let callVega = spot * exp(-0.5 * d1 * d1) / (2 * Double.pi).squareRoot() * expiry.squareRoot()
        let market = ["covered-call", "--spot", "100", "--strikes", "105", "--expiry", "0.0822", "--vol", "0.25", "--json"]
        let within = try peregrine(["options", "strategy"] + market + ["--contracts", "5", "--risk", "default", "--equity", "100000"])
        #expect(within.status == 0, "\(within.error)")
        let result = try Self.json(within.output)
        // 5 contracts: 500 shares less 500 x delta, at 100.
        #expect(abs((result["delta_notional"] as! Double) - 500 * (1 - callDelta) * spot) < 1e-6)
        #expect(abs((result["vega_per_point"] as! Double) - (-500 * callVega / 100)) < 1e-6)
        // 11 contracts: 1,100 x (1 - delta) x 100 is past 80% of 100,000 (gross and net alike).
        #expect(1_100 * (1 - callDelta) * spot > 80_000)
        let refused = try peregrine(["options", "strategy"] + market + ["--contracts", "11", "--risk", "default", "--equity", "100000"])
        #expect(refused.status != 0 && refused.error.contains("max_gross_exposure") && refused.error.contains("max_net_exposure"), "\(refused.error)")
        #expect(refused.output.isEmpty)
        // A configured vega limit: 5 contracts' vega per point over 100,000 is past 0.0001.
        let folder = TestPaths.temporaryFolder()
        try "[risk]\nmax_portfolio_vega = 0.0001\nmax_portfolio_delta = 0.5\n".write(toFile: folder + "/risk.toml", atomically: true, encoding: .utf8)
        #expect(500 * callVega / 100 > 0.0001 * 100_000)
        let vega = try peregrine(["options", "strategy"] + market + ["--contracts", "5", "--risk", folder + "/risk.toml", "--equity", "100000"])
        #expect(vega.status != 0 && vega.error.contains("max_portfolio_vega") && !vega.error.contains("max_portfolio_delta"), "\(vega.error)")
        let noEquity = try peregrine(["options", "strategy"] + market + ["--risk", "default"])
        #expect(noEquity.status != 0 && noEquity.error.contains("--equity"))
    }

    /// A chain 45 days out, forward 100 e^(0.02 T): for each strike a call and a put whose mids are
    /// Black-Scholes prices (written here, not by the code under test) at `volatility(k)`, k = ln(K / F).
    static func chainLines(strikes: StrideThrough<Int>, volatility: (Double) -> Double) -> [String] {
        let expiry = 45.0 / 365, forward = 100 * exp(0.02 * expiry)
        var lines = ["symbol,bid,ask"]
        for strike in strikes {
            for (type, letter) in [("call", "C"), ("put", "P")] {
                let k = log(Double(strike) / forward)
                let sigma = volatility(k)
                let d1 = (-k + 0.5 * sigma * sigma * expiry) / (sigma * expiry.squareRoot()), d2 = d1 - sigma * expiry.squareRoot()
                let n = { (x: Double) in 0.5 * erfc(-x / 2.0.squareRoot()) }
                let discount = exp(-0.02 * expiry)
                let price = type == "call" ? discount * (forward * n(d1) - Double(strike) * n(d2))
                    : discount * (Double(strike) * n(-d2) - forward * n(-d1))
                let mid = String(format: "%.6f", price)
                lines.append("XYZ250301\(letter)\(String(format: "%08d", strike * 1000)),\(mid),\(mid)")
            }
        }
        return lines
    }

    @Test func smileFromTheCommandLine() throws {
        let folder = TestPaths.temporaryFolder()
        // Mids priced by Black-Scholes-Merton at sigma(k) = 0.25 - 0.1 k + 0.3 k^2, 45 days out.
        var lines = Self.chainLines(strikes: stride(from: 80, through: 120, by: 5)) { k in 0.25 - 0.1 * k + 0.3 * k * k }
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/chain.csv", atomically: true, encoding: .utf8)
        let run = try peregrine(["options", "smile", "--chain", folder + "/chain.csv", "--spot", "100", "--rate", "0.02",
                                 "--as-of", "2025-01-15", "--json"])
        #expect(run.status == 0, "\(run.error)")
        let smile = (try Self.json(run.output)["smiles"] as! [[String: Any]])[0]
        #expect(abs((smile["level"] as! Double) - 0.25) < 1e-5 && abs((smile["slope"] as! Double) + 0.1) < 1e-4, "\(smile)")
        lines.append("XYZ250301C0012000,1,2")
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try peregrine(["options", "smile", "--chain", folder + "/bad.csv", "--spot", "100", "--as-of", "2025-01-15"])
        #expect(bad.status != 0 && bad.error.contains("bad.csv:20: symbol"), "\(bad.error)")
    }

    /// American legs: a straddle's cost is the sum of `options price --style american` for its two legs,
    /// by the same model, and above the European straddle's; a European model for American legs is refused.
    @Test func americanStrategyLegs() throws {
        let market = ["--spot", "90", "--vol", "0.3", "--rate", "0.05", "--dividend", "0.02"]
        func figure(_ arguments: [String], _ key: String) throws -> Double {
            let run = try peregrine(arguments + market + ["--json"])
            #expect(run.status == 0, "\(run.error)")
            return try Self.json(run.output)[key] as! Double
        }
        for model in ["leisen-reimer", "baw", "bjs"] {
            let straddle = try figure(["options", "strategy", "straddle", "--strikes", "100", "--expiry", "0.5", "--style", "american",
                                       "--model", model, "--steps", "301"], "cost")
            let legs = try ["call", "put"].map {
                try figure(["options", "price", "--type", $0, "--style", "american", "--model", model, "--steps", "301", "--strike", "100",
                            "--expiry", "0.5"], "price")
            }
            #expect(abs(straddle - legs.reduce(0, +)) < 1e-12 * max(1, straddle), "\(model): \(straddle) vs \(legs)")
            let european = try figure(["options", "strategy", "straddle", "--strikes", "100", "--expiry", "0.5"], "cost")
            #expect(straddle > european, "\(model)")
        }
        let wrong = try peregrine(["options", "strategy", "straddle", "--strikes", "100", "--expiry", "0.5", "--style", "american",
                                   "--model", "bsm"] + market)
        #expect(wrong.status != 0 && wrong.error.contains("--model 'bsm' for American legs"), "\(wrong.error)")
    }

    /// Mids priced at raw SVI total variance a = 0.004, b = 0.04, rho = -0.5, m = 0.02, s = 0.1, 45 days
    /// out: `--model svi` gives the parameters back; an unknown model is refused.
    @Test func sviSmileFromTheCommandLine() throws {
        let folder = TestPaths.temporaryFolder()
        let expiry = 45.0 / 365
        let (a, b, rho, m, s) = (0.004, 0.04, -0.5, 0.02, 0.1)
        let lines = Self.chainLines(strikes: stride(from: 70, through: 130, by: 5)) { k in
            ((a + b * (rho * (k - m) + ((k - m) * (k - m) + s * s).squareRoot())) / expiry).squareRoot()
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/chain.csv", atomically: true, encoding: .utf8)
        let run = try peregrine(["options", "smile", "--chain", folder + "/chain.csv", "--spot", "100", "--rate", "0.02",
                                 "--as-of", "2025-01-15", "--model", "svi", "--json"])
        #expect(run.status == 0, "\(run.error)")
        let smile = (try Self.json(run.output)["smiles"] as! [[String: Any]])[0]
        for (key, value) in [("a", a), ("b", b), ("rho", rho), ("m", m), ("s", s)] {
            #expect(abs((smile[key] as! Double) - value) < 1e-4 * max(1, abs(value)), "\(key): \(smile)")
        }
        #expect((smile["rmse"] as! Double) < 1e-4)
        let unknown = try peregrine(["options", "smile", "--chain", folder + "/chain.csv", "--spot", "100", "--as-of", "2025-01-15",
                                     "--model", "sabr"])
        #expect(unknown.status != 0 && unknown.error.contains("--model must be quadratic or svi"), "\(unknown.error)")
    }

    @Test func contractsCommandChecksItsFilters() throws {
        let badType = try peregrine(["options", "contracts", "--underlying", "AAPL", "--type", "straddle"])
        #expect(badType.status != 0 && badType.error.contains("--type 'straddle'"))
        let badDate = try peregrine(["options", "contracts", "--underlying", "AAPL", "--expiration-from", "2024-02-30"])
        #expect(badDate.status != 0 && badDate.error.contains("--expiration-from '2024-02-30'"))
        let badStrike = try peregrine(["options", "contracts", "--underlying", "AAPL", "--strike-to", "0"])
        #expect(badStrike.status != 0 && badStrike.error.contains("--strike-to '0'"))
        let noKeys = try peregrine(["options", "contracts", "--underlying", "AAPL", "--keys", "/nonexistent/keys.env"])
        #expect(noKeys.status != 0 && noKeys.error.contains("/nonexistent/keys.env"), "\(noKeys.error)")
    }
}
