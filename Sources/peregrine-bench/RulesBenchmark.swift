import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineStrategies

/// The rules strategy against the hand-written sma-cross it restates, on the same bars and the
/// same run options (100 shares, next-open fills, no costs, 1,000,000 cash):
///
///     entry = crosses_above(sma(close, 10), sma(close, 30))
///     exit  = crosses_below(sma(close, 10), sma(close, 30))
///
/// Both are built by the strategy registry from their parameters, as `peregrine backtest --rule
/// entry=... --rule exit=...` and `peregrine backtest --strategy sma-cross` build them; timed is the
/// `BacktestEngine.run()` call only, the two alternating (hand, rules, hand, rules, ...). Prints
/// both medians, their ratio, both fill counts and whether the fills are identical.
enum RulesBenchmark {
    static let entry = "crosses_above(sma(close, 10), sma(close, 30))"
    static let exit = "crosses_below(sma(close, 10), sma(close, 30))"

    /// Builds an engine for the strategy it is handed and times its run.
    struct TimedRun: StrategyVisitor {
        let series: [BarSeries]

        func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> (result: BacktestResult, seconds: Double) {
            let engine = BacktestEngine(series: series, strategy: strategy, configuration: configuration)
            let start = DispatchTime.now().uptimeNanoseconds
            let result = engine.run()
            return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }

    /// `only` runs just one of the two ("sma-cross" or "rules"), for instruction counts of each.
    static func run(series: BarSeries, dataName: String, runs: Int, only: String? = nil) throws {
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(1_000_000)
        let periods = BacktestConfiguration.inferredPeriodsPerYear(interval: series.typicalInterval,
                                                                   calendar: series.instrument.assetClass.defaultCalendar)
        let strategies: [(name: String, parameters: StrategyParameters)] = [
            ("sma-cross", StrategyParameters(["fast": "10", "slow": "30", "quantity": "100"])),
            ("rules", StrategyParameters(["entry": entry, "exit": exit, "quantity": "100"])),
        ]
        if let only {
            guard let chosen = strategies.first(where: { $0.name == only }) else { throw ConfigurationError("--only: sma-cross or rules") }
            var named = configuration
            named.strategyName = chosen.name
            for _ in 0..<runs {
                let (result, seconds) = try StrategyRegistry.shared.build(strategy: chosen.name, parameters: chosen.parameters,
                                                                          periodsPerYear: periods, configuration: named,
                                                                          visitor: TimedRun(series: [series]))
                print("RESULT {\"benchmark\": \"\(chosen.name)\", \"run_s\": \(String(format: "%.4f", seconds)), "
                    + "\"fills\": \(result.fills.count), \"final_equity\": \(result.finalEquity.formatted(places: 4))}")
            }
            return
        }
        var times: [[Double]] = [[], []]
        var last: [BacktestResult?] = [nil, nil]
        for _ in 0..<runs {
            for (k, strategy) in strategies.enumerated() {
                last[k] = nil  // free the previous result before timing the next run
                var named = configuration
                named.strategyName = strategy.name
                let (result, seconds) = try StrategyRegistry.shared.build(
                    strategy: strategy.name, parameters: strategy.parameters, periodsPerYear: periods, configuration: named,
                    visitor: TimedRun(series: [series]))
                times[k].append(seconds)
                last[k] = result
            }
        }
        let hand = last[0]!, rules = last[1]!
        let describe = { (fill: Fill) in "\(fill.timestamp.nanoseconds) \(fill.side) \(fill.quantity) \(fill.price) \(fill.commission)" }
        let identical = hand.fills.map(describe) == rules.fills.map(describe)
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let list = { (values: [Double]) in "[" + values.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]" }
        let fields: [(String, String)] = [
            ("benchmark", "\"rules_vs_sma_cross\""), ("data", "\"\(dataName)\""), ("bars", "\(series.count)"),
            ("entry", "\"\(entry)\""), ("exit", "\"\(exit)\""),
            ("sma_cross_run_s", list(times[0])), ("sma_cross_run_s_median", String(format: "%.4f", median(times[0]))),
            ("sma_cross_bars_per_s", String(format: "%.1f", Double(series.count) / median(times[0]))),
            ("rules_run_s", list(times[1])), ("rules_run_s_median", String(format: "%.4f", median(times[1]))),
            ("rules_bars_per_s", String(format: "%.1f", Double(series.count) / median(times[1]))),
            ("rules_over_sma_cross", String(format: "%.3f", median(times[1]) / median(times[0]))),
            ("sma_cross_fills", "\(hand.fills.count)"), ("rules_fills", "\(rules.fills.count)"),
            ("fills_identical", "\(identical)"),
            ("sma_cross_final_equity", hand.finalEquity.formatted(places: 4)), ("rules_final_equity", rules.finalEquity.formatted(places: 4)),
        ]
        print("RESULT {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
}
