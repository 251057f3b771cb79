import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies

/// Cost of a cross-sectional momentum rebalance: `xs-momentum` (top 10, 252-bar lookback skipping
/// 21) over a seeded universe of `symbols` daily series, rebalanced every `rebalance` bars, against
/// the same run rebalanced once (every 10,000 bars). The difference over the extra rebalances is the
/// time one rebalance takes: ranking every symbol, the sales, and the purchases a bar later.
enum MomentumBenchmark {
    static func run(symbols: Int, bars: Int, rebalance: Int, runs: Int) throws {
        guard symbols >= 10, bars > 252 + 21 + 1, rebalance >= 1, runs >= 1 else {
            print("--xs-momentum needs --symbols 10 or more, --bars above 274, --rebalance and --runs of 1 or more")
            return
        }
        let universe = (0..<symbols).map {
            SyntheticMarket.series(bars: bars, seed: 42 + UInt64($0), interval: Timestamp.nanosPerDay, symbol: String(format: "S%03d", $0))
        }
        var configuration = BacktestConfiguration()
        configuration.recordDecisions = false
        func time(every: Int) throws -> (seconds: Double, fills: Int) {
            let parameters = StrategyParameters(["top": "10", "rebalance": "\(every)"])
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try StrategyRegistry.shared.backtest(strategy: "xs-momentum", parameters: parameters, series: universe,
                                                              configuration: configuration)
            return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result.fills.count)
        }
        var often: [Double] = [], once: [Double] = []
        var fills = (often: 0, once: 0)
        for _ in 0..<runs {
            let a = try time(every: rebalance), b = try time(every: 10_000)
            often.append(a.seconds)
            once.append(b.seconds)
            fills = (a.fills, b.fills)
        }
        let median = { (times: [Double]) in times.sorted()[times.count / 2] }
        // Ranking starts once 252 + 21 bars of history exist; a rebalance every `rebalance` decision bars after.
        let ranked = bars - (252 + 21)
        let rebalances = (ranked + rebalance - 1) / rebalance
        let perRebalance = (median(often) - median(once)) / Double(max(1, rebalances - 1))
        let fields: [(String, String)] = [
            ("engine", "\"peregrine xs-momentum\""), ("symbols", "\(symbols)"), ("bars_per_symbol", "\(bars)"),
            ("rebalance_bars", "\(rebalance)"), ("rebalances", "\(rebalances)"),
            ("run_s", "[" + often.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]"),
            ("run_s_median", String(format: "%.4f", median(often))),
            ("one_rebalance_run_s_median", String(format: "%.4f", median(once))),
            ("per_rebalance_ms", String(format: "%.3f", perRebalance * 1e3)),
            ("bars_per_s", String(format: "%.0f", Double(symbols * bars) / median(often))),
            ("fills", "\(fills.often)"), ("one_rebalance_fills", "\(fills.once)"),
        ]
        print("RESULT {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
}
