import PeregrineCore
import PeregrineData
import PeregrineEngine
@testable import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// The rules strategy: the same fills as the hand-written strategy it restates, conditions worked
/// by hand on made-up bars, and every mistake refused with the rule and column.
@Suite struct RulesStrategyTests {
    static let series = SyntheticMarket.series(bars: 6_000, seed: 21)

    func backtest(_ strategy: String, _ parameters: [String: String], series: [BarSeries] = [Self.series],
                  allowShort: Bool = false) throws -> BacktestResult {
        var configuration = BacktestConfiguration()
        configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
        configuration.allowShort = allowShort
        return try StrategyRegistry.shared.backtest(strategy: strategy, parameters: StrategyParameters(parameters), series: series,
                                                    configuration: configuration)
    }

    static func fills(_ result: BacktestResult) -> [String] {
        result.fills.map { "\($0.timestamp.nanoseconds) \($0.side) \($0.quantity) \($0.price) \($0.commission)" }
    }

    @Test(arguments: [(10, 30), (5, 50), (2, 3), (20, 200)])
    func smaCrossAsRulesGivesTheSameFills(fast: Int, slow: Int) throws {
        let hand = try backtest("sma-cross", ["fast": "\(fast)", "slow": "\(slow)", "quantity": "100"])
        let rules = try backtest("rules", ["entry": "crosses_above(sma(close, $fast), sma(close, $slow))",
                                           "exit": "crosses_below(sma(close, $fast), sma(close, $slow))",
                                           "fast": "\(fast)", "slow": "\(slow)", "quantity": "100"])
        #expect(hand.fills.count > 20)
        #expect(Self.fills(rules) == Self.fills(hand))
        #expect(rules.finalEquity == hand.finalEquity)
    }

    @Test func shortRulesMatchSMACrossWithShorting() throws {
        let hand = try backtest("sma-cross", ["fast": "8", "slow": "40", "short": "true"])
        let rules = try backtest("rules", ["entry": "crosses_above(sma(close, 8), sma(close, 40))",
                                           "exit": "crosses_below(sma(close, 8), sma(close, 40))",
                                           "short_entry": "crosses_below(sma(close, 8), sma(close, 40))",
                                           "short_exit": "crosses_above(sma(close, 8), sma(close, 40))"])
        #expect(hand.fills.count > 20)
        #expect(Self.fills(rules) == Self.fills(hand))
        #expect(rules.finalEquity == hand.finalEquity)
    }

    /// A subexpression used more than once is one node: sma-cross as rules is the close, two averages
    /// and two crossings, not each average once per rule.
    @Test func repeatedSubexpressionsAreComputedOnce() throws {
        let rules: [RulesStrategy.Role: RuleExpression] = [
            .entry: try RuleParser.parse("crosses_above(sma(close, 10), sma(close, 30))", rule: "entry"),
            .exit: try RuleParser.parse("crosses_below(sma(close, 10), sma(close, 30))", rule: "exit"),
        ]
        let machine = try RuleMachine(rules: rules, parameters: [:], sessionZone: .fixed(seconds: 0))
        #expect(machine.nodeCount == 5)
    }

    /// Shared nodes give the fills of the same rules spelled so that nothing is shared (a period
    /// written 10.0 is another text than 10): stateful nodes (averages, delays, crossings) read
    /// by several rules advance once a bar either way.
    @Test func sharedSubexpressionsGiveTheFillsOfUnsharedOnes() throws {
        let shared = try backtest("rules", [
            "entry": "crosses_above(sma(close, 8), sma(close, 21)) and prev(close, 2) < close",
            "exit": "crosses_below(sma(close, 8), sma(close, 21)) or (prev(close, 2) > close and bars_held >= 5)",
        ])
        let unshared = try backtest("rules", [
            "entry": "crosses_above(sma(close, 8), sma(close, 21)) and prev(close, 2) < close",
            "exit": "crosses_below(sma(close, 8.0), sma(close, 21.0)) or (prev(close, 2.0) > close and bars_held >= 5)",
        ])
        #expect(shared.fills.count > 20)
        #expect(Self.fills(shared) == Self.fills(unshared))
        #expect(shared.finalEquity == unshared.finalEquity)
    }

    /// Closes 10, 11, 12, 11, 13, 14, 15, 16, 17, 18 (flat bars). Entry "close > prev(close, 1) and
    /// close > prev(close, 2)" first holds on the third bar (12 > 11 > 10): bought at the 4th bar's
    /// open, 11. Exit "bars_held >= 3": held from bar 4 (0) to bar 7 (3), sold at bar 8's open, 16.
    /// Entry holds again on bar 8 (16 > 15 > 14): bought at bar 9's open, 17; marked at 18.
    @Test func conditionsWorkedByHand() throws {
        let bars = BarBuilder.flatDaily(["10", "11", "12", "11", "13", "14", "15", "16", "17", "18"])
        let series = BarSeries(instrument: .usEquity("HAND"), bars: bars)
        let result = try backtest("rules", ["entry": "close > prev(close, 1) and close > prev(close, 2)", "exit": "bars_held >= 3",
                                            "quantity": "10"], series: [series])
        #expect(result.fills.map(\.price) == [Price(11), Price(16), Price(17)])
        #expect(result.fills.map(\.side) == [.buy, .sell, .buy])
        // 10 × (16 − 11) realized, 10 × (18 − 17) open, less three $1 minimum commissions.
        #expect(result.finalEquity == Money(1_000_000 + 50 + 10 - 3))
    }

    @Test(arguments: [
        ("sma(close, 10) >", "entry", 17, "expected a number"),
        ("smaa(close, 10) > 1", "entry", 1, "unknown function 'smaa'"),
        ("close and volume > 1", "entry", 7, "'and' joins two conditions"),
        ("sma(close, 2.5) > close", "entry", 12, "whole number"),
        ("stddev(rsi(close, 14), 5) > 1", "entry", 8, "defined on prices"),
        ("rsi(close, 14)", "entry", 1, "not a condition"),
        ("close > 1 )", "entry", 11, "unexpected ')'"),
        ("close # 3", "entry", 7, "unexpected character '#'"),
        ("closes > 3", "entry", 1, "unknown name 'closes'"),
        ("tf(close) > 1", "entry", 1, "tf takes a timeframe and an expression"),
        ("tf(7min, close) > 1", "entry", 4, "must be a timeframe: 5min, 15min, 30min, 1h, 4h or 1d"),
        ("tf(2d, close) > 1", "entry", 4, "must be a timeframe"),
        ("tf(1h, bars_held) > 1", "entry", 8, "'bars_held' is the position's, not a bar's"),
        ("tf(1h, tf(4h, close)) > 1", "entry", 8, "tf() cannot hold another tf()"),
    ])
    func mistakesNameTheRuleAndColumn(rule: String, role: String, column: Int, message: String) {
        do {
            _ = try backtest("rules", [role: rule])
            Issue.record("'\(rule)' was accepted")
        } catch let error as ConfigurationError {
            #expect(error.message.contains("rule \(role), column \(column):"), "\(error.message)")
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func parametersAreDeclaredFromTheRules() throws {
        let given = StrategyParameters(["entry": "close > sma(close, $slow) * $factor"])
        let declared = try StrategyRegistry.shared.parameters(strategy: "rules", given: given)
        #expect(declared.contains { $0.name == "slow" && $0.isRequired } && declared.contains { $0.name == "factor" })
        #expect(throws: ConfigurationError.self) { try StrategyRegistry.shared.validate(strategy: "rules", parameters: given) }
        // A parameter no rule uses is unknown.
        #expect(throws: ConfigurationError.self) {
            try StrategyRegistry.shared.validate(strategy: "rules", parameters: StrategyParameters(["entry": "close > 1", "fast": "3"]))
        }
        let ok = StrategyParameters(["entry": "close > sma(close, $slow) * $factor", "slow": "20", "factor": "1.01"])
        try StrategyRegistry.shared.validate(strategy: "rules", parameters: ok)
    }
}

/// `tf()`: the same closed periods a Swift strategy's coarser view gives.
extension RulesStrategyTests {
    /// Entry `close > tf(1h, high)`, exit `close < tf(1h, low)` on a day of 1-minute bars,
    /// against the decisions worked out here from the minute bars alone: at a bar ending at E, the
    /// last closed hour is the one ending at or before E (its high and low straight from its sixty
    /// minutes); no decision before 10:00, when the first hour closes.
    @Test func tfComparesWithTheLastClosedHour() throws {
        // Around the clock (a crypto calendar), so every market order fills at the next minute's open.
        let series = BarSeries(instrument: .crypto("MTF"), bars: MultiTimeframeTests.minuteBars(count: 24 * 60).bars)
        let result = try StrategyRegistry.shared.backtest(
            strategy: "rules", parameters: StrategyParameters(["entry": "close > tf(1h, high)", "exit": "close < tf(1H, low)",
                                                               "quantity": "1"]),
            series: [series], configuration: BacktestConfiguration())
        let bars = series.bars
        let hour = MultiTimeframeTests.hour
        var long = false
        var expected: [String] = []
        for bar in bars {
            let end = bar.timestamp.nanoseconds + MultiTimeframeTests.minute
            let lastHour = end.floorDivided(by: hour) * hour - hour
            let minutes = bars.filter { $0.timestamp.nanoseconds >= lastHour && $0.timestamp.nanoseconds < lastHour + hour }
            guard !minutes.isEmpty else { continue }
            if !long, bar.close > minutes.map(\.high).max()! {
                expected.append("\(bar.timestamp.iso8601) buy")
                long = true
            } else if long, bar.close < minutes.map(\.low).min()! {
                expected.append("\(bar.timestamp.iso8601) sell")
                long = false
            }
        }
        let decided = result.decisions.filter { $0.outcome == .submitted }
            .map { "\($0.timestamp.iso8601) \($0.action == .buy ? "buy" : "sell")" }
        #expect(expected.count >= 6, "the walk should cross an hour's range both ways, several times")
        #expect(decided == expected)
    }
}
