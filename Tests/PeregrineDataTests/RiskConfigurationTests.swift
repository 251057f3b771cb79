import PeregrineCore
import PeregrineData
import PeregrineRisk
import PeregrineTestSupport
import Testing

@Suite struct RiskConfigurationTests {
    @Test func theExampleFileGivesTheDefaults() throws {
        let limits = try RiskConfiguration.load(path: TestPaths.repository + "/examples/peregrine.toml")
        #expect(limits == RiskLimits())
    }

    @Test func valuesOverrideAndFalseDisables() throws {
        let limits = try RiskConfiguration.parse("""
            [risk]
            max_position = 0.1
            max_open_positions = 5
            max_drawdown = false
            underlying_groups = [["SPY", "SPXL"]]
            reentry_cooldown_bars = 3
            max_order_notional = 250000
            correlation = false
            [risk.losing_streak]
            after = 4
            [risk.strategy_breaker]
            reduce_after_losses = 4
            halt_after_losses = false
            [risk.value_at_risk]
            max_fraction = 0.015
            window = 120
            """)
        #expect(limits.valueAtRisk?.maxFraction == 0.015 && limits.valueAtRisk?.window == 120 && limits.valueAtRisk?.confidence == 0.95)
        #expect(RiskLimits().valueAtRisk == nil)
        #expect(throws: (any Error).self) { try RiskConfiguration.parse("[risk.value_at_risk]\nconfidence = 0.3") }
        #expect(limits.valueAtRisk?.method == .historical)
        #expect(try RiskConfiguration.parse("[risk.value_at_risk]\nmethod = \"parametric\"").valueAtRisk?.method == .parametric)
        #expect(try RiskConfiguration.parse("[risk.value_at_risk]\nmethod = \"monte_carlo\"\npaths = 5000\nseed = 9").valueAtRisk?.method
            == .monteCarlo(paths: 5_000, seed: 9))
        #expect(try RiskConfiguration.parse("[risk.value_at_risk]\nmethod = \"monte_carlo\"").valueAtRisk?.method
            == .monteCarlo(paths: ValueAtRiskMethod.defaultPaths, seed: 0))
        do {
            _ = try RiskConfiguration.parse("[risk.value_at_risk]\nmethod = \"gaussian\"")
            Issue.record("an unknown VaR method was accepted")
        } catch {
            #expect("\(error)".contains("risk.value_at_risk.method: expected one of historical, parametric, monte_carlo, got 'gaussian'"), "\(error)")
        }
        #expect(throws: (any Error).self) { try RiskConfiguration.parse("[risk.value_at_risk]\nmethod = \"monte_carlo\"\npaths = 5") }
        #expect(limits.strategyBreaker?.reduceAfterLosses == 4 && limits.strategyBreaker?.haltAfterLosses == nil)
        #expect(limits.maxPositionFraction == 0.1 && limits.maxOpenPositions == 5 && limits.maxDrawdown == nil)
        #expect(limits.underlyingGroups == [["SPY", "SPXL"]] && limits.reentryCooldown == .bars(3))
        #expect(limits.maxOrderNotional == Money(250_000) && limits.correlation == nil)
        #expect(limits.losingStreak?.after == 4 && limits.losingStreak?.multiplier == 0.5)
        #expect(limits.dailyLossLimit == 0.03)  // untouched default
        #expect(try RiskConfiguration.parse("") == RiskLimits() && RiskLimits().strategyBreaker == nil)
    }

    @Test(arguments: [
        ("[risk]\nmax_postion = 0.1", "unknown key max_postion"),
        ("[risk]\nmax_position = \"lots\"", "risk.max_position: expected a number or false"),
        ("[risk]\nmax_open_positions = 2.5", "risk.max_open_positions: expected a whole number"),
        ("[risk]\nmax_position = 0", "max_position = 0.0: must be in (0, 10]"),
        ("[risk.correlation]\nthreshhold = 0.5", "risk.correlation: unknown key threshhold"),
        ("[risk]\nreentry_cooldown_bars = 2\nreentry_cooldown_seconds = 60", "not both"),
        ("[risk.strategy_breaker]\nreduce_after_losses = 6\nhalt_after_losses = 4", "must be above reduce_after_losses"),
        ("[risk\nmax_position = 0.1", "cfg:1:"),
    ] as [(String, String)])
    func mistakesAreNamed(text: String, words: String) {
        do {
            _ = try RiskConfiguration.parse(text, source: "cfg")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(words), "\(error.description)")
        }
    }
}

@Suite struct ExitConfigurationTests {
    @Test func theExampleFileDescribesItsPlan() throws {
        let plan = try #require(try ExitConfiguration.load(path: TestPaths.repository + "/examples/peregrine.toml"))
        #expect(plan.stopLoss == .percent(0.02) && plan.trailing == .chandelier(multiple: 3, lookback: 22))
        #expect(plan.scaled == ExitPlan.Scaled() && plan.endOfDay?.minute == 15 * 60 + 53 && plan.takeProfit == nil)
        #expect(try ExitConfiguration.parse("[risk]\nmax_position = 0.1") == nil)
        #expect(!plan.resting)
        #expect(try ExitConfiguration.parse("[exits]\nstop_loss = \"1%\"\nresting = true")?.resting == true)
    }

    @Test(arguments: [
        ("[exits]\nstop = \"2%\"", "unknown key"),
        ("[exits]\nstop_loss = 2", "expected a string"),
        ("[exits]\ntrailing = \"chandelier:3\"", "chandelier:MULTIPLE,LOOKBACK"),
        ("[exits]\nend_of_day = \"25:00\"", "HH:MM"),
        ("[exits]\nresting = 1", "resting: expected true or false"),
    ] as [(String, String)])
    func mistakesAreNamed(text: String, words: String) {
        do {
            _ = try ExitConfiguration.parse(text, source: "cfg")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(words), "\(error.description)")
        }
    }

    @Test func portfolioDeltaAndVegaLimitsAreRead() throws {
        let limits = try RiskConfiguration.parse("[risk]\nmax_portfolio_delta = 0.5\nmax_portfolio_vega = 0.004")
        #expect(limits.maxPortfolioDelta == 0.5 && limits.maxPortfolioVega == 0.004)
        #expect(RiskLimits().maxPortfolioDelta == nil && RiskLimits().maxPortfolioVega == nil)
        #expect(limits.described["max_portfolio_delta"] == "0.5" && RiskLimits().described["max_portfolio_vega"] == "off")
        #expect(throws: (any Error).self) { try RiskConfiguration.parse("[risk]\nmax_portfolio_vega = \"high\"") }
    }
}
