import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineIndicators
import PeregrineStrategies
import Testing

/// The Bollinger z reading and the Bayesian RSI reversal probability as rule components: a rules
/// strategy built on them decides exactly where the readings, worked here from the closes, say.
@Suite struct RuleSignalComponentTests {
    static let series = SyntheticMarket.series(bars: 4_000, seed: 8, interval: Timestamp.nanosPerDay)

    /// Long-only decisions of an entry and an exit condition: entries while flat, exits while long,
    /// each filling at the next bar's open.
    static func decisions(entry: (Int) -> Bool, exit: (Int) -> Bool, bars: Int) -> [String] {
        var long = false
        var out: [String] = []
        for t in 0..<bars {
            if !long && entry(t) {
                out.append("\(t) buy")
                if t + 1 < bars { long = true }
            } else if long && exit(t) {
                out.append("\(t) sell")
                long = false
            }
        }
        return out
    }

    /// The rules strategy with `parameters` on the series, default run options.
    static func rules(_ parameters: [String: String]) throws -> BacktestResult {
        try StrategyRegistry.shared.backtest(strategy: "rules", parameters: StrategyParameters(parameters), series: [series],
                                             configuration: BacktestConfiguration())
    }

    static func submitted(_ result: BacktestResult) -> [String] {
        let index = Dictionary(uniqueKeysWithValues: series.timestamps.enumerated().map { ($0.element, $0.offset) })
        return result.decisions.filter { $0.outcome == .submitted }.map { "\(index[$0.timestamp.nanoseconds]!) \($0.action == .buy ? "buy" : "sell")" }
    }

    @Test func bollingerSignalBuysTwoDeviationsDownAndExitsNearTheMiddle() throws {
        let closes = Self.series.closes.map { Price(units: $0).doubleValue }
        // z = (close − mean) / σ over the last 20 closes (population σ, as Bollinger bands take it).
        func z(_ t: Int) -> Double? {
            guard t >= 19 else { return nil }
            let window = closes[(t - 19)...t]
            let mean = window.reduce(0, +) / 20
            let sd = (window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 20).squareRoot()
            return sd > 0 ? (closes[t] - mean) / sd : nil
        }
        let expected = Self.decisions(entry: { z($0).map { $0 <= -2 } ?? false }, exit: { z($0).map { abs($0) <= 0.5 } ?? false },
                                      bars: closes.count)
        let result = try Self.rules(["entry": "bollinger_signal(close, 20, 2, 0.5) == 1",
                                     "exit": "bollinger_signal(close, 20, 2, 0.5) == 0", "quantity": "10"])
        #expect(expected.count > 40)
        #expect(Self.submitted(result) == expected)
        // A sell reading (two deviations up) is -1, never a buy.
        let sells = try Self.rules(["entry": "bollinger_signal(close) == -1", "exit": "bars_held >= 3"])
        let sellEntries = Self.decisions(entry: { z($0).map { $0 >= 2 } ?? false }, exit: { _ in false }, bars: closes.count)
        #expect(Self.submitted(sells).filter { $0.hasSuffix("buy") }.first == sellEntries.first)
    }

    @Test func rsiReversalIsTheBayesianProbability() throws {
        // P(reversal | e) with e = |RSI − 50| / 50: prior 0.3, e ~ N(0.6, 0.15²) before a reversal, N(0.2, 0.15²) otherwise.
        func density(_ x: Double, _ mean: Double) -> Double { exp(-(x - mean) * (x - mean) / (2 * 0.0225)) }
        var rsi = RelativeStrengthIndex(period: 14)
        let values = Self.series.closes.map { rsi.update(Price(units: $0)) }
        func reversal(_ t: Int) -> Double? {
            guard let r = values[t] else { return nil }
            let e = abs(r - 50) / 50
            return 0.3 * density(e, 0.6) / (0.3 * density(e, 0.6) + 0.7 * density(e, 0.2))
        }
        let expected = Self.decisions(entry: { t in (reversal(t).map { $0 > 0.8 } ?? false) && (values[t] ?? 100) < 50 },
                                      exit: { t in (values[t] ?? 0) > 55 }, bars: values.count)
        let result = try Self.rules(["entry": "rsi_reversal(close, 14) > 0.8 and rsi(close, 14) < 50",
                                     "exit": "rsi(close, 14) > 55", "quantity": "10"])
        #expect(expected.count > 20)
        #expect(Self.submitted(result) == expected)
    }

    @Test func badThresholdsAreRefusedWithTheRule() {
        do {
            _ = try Self.rules(["entry": "bollinger_signal(close, 20, 0.5, 2) == 1"])
            Issue.record("entry below exit was accepted")
        } catch {
            #expect("\(error)".contains("bollinger_signal needs entry > exit >= 0"), "\(error)")
        }
    }
}
