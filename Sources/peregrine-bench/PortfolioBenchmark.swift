import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineRisk
import PeregrineStrategies

/// Cost of the multi-strategy kernel: K SMA crossovers (10/30, 20/60, 30/90, ...) as sleeves of one
/// account on one simulated venue, static equal weights rebalanced every `rebalance` bars, against
/// the same K strategies run as K separate backtests with a K-th of the cash each. Prints one
/// `RESULT` line with the medians of both.
enum PortfolioBenchmark {
    static func run(series: BarSeries, dataName: String, sleeves count: Int, rebalance: Int, runs: Int) throws {
        let strategies = (1...count).map { k in
            SMACrossStrategy(fast: 10 * k, slow: 30 * k, sizing: PositionSizing(base: .quantity(Quantity(100))))
        }
        let names = (1...count).map { "sma \(10 * $0)/\(30 * $0)" }
        var together: [Double] = []
        var apart: [Double] = []
        var fills = (portfolio: 0, separate: 0)
        for _ in 0..<runs {
            let venue = SimulatedVenue(instruments: [series.instrument], configuration: VenueConfiguration(),
                                       barIntervals: [series.typicalInterval])
            let kernel = MultiStrategyKernel(
                venue: venue, allocator: try SleeveAllocator(names: names, rule: .staticWeights(Array(repeating: 1 / Double(count), count: count))),
                rebalanceEvery: rebalance, equity: EquityCurve(capacity: series.count), periodsPerYear: 252 * 390)
            let cash = kernel.initialCash(splitting: Money(1_000_000))
            var configuration = BacktestConfiguration()
            configuration.recordDecisions = false
            for (k, strategy) in strategies.enumerated() {
                kernel.addSleeve(strategy: strategy, series: [series], account: Account(cash: cash[k], instrumentCount: 1),
                                 configuration: configuration, equity: EquityCurve(barTimestamps: series.timestamps))
            }
            var start = DispatchTime.now().uptimeNanoseconds
            kernel.start()
            kernel.replay(MarketFeed(series: [series]))
            kernel.finish()
            together.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            fills.portfolio = kernel.fills.count

            start = DispatchTime.now().uptimeNanoseconds
            var separate = 0
            for (k, strategy) in strategies.enumerated() {
                configuration.initialCash = cash[k]
                separate += BacktestEngine(series: [series], strategy: strategy, configuration: configuration).run().fills.count
            }
            apart.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            fills.separate = separate
        }
        let median = { (times: [Double]) in times.sorted()[times.count / 2] }
        let fields: [(String, String)] = [
            ("engine", "\"peregrine multi-strategy kernel\""), ("data", "\"\(dataName)\""), ("bars", "\(series.count)"),
            ("sleeves", "\(count)"), ("rebalance_bars", "\(rebalance)"),
            ("portfolio_s", "[" + together.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]"),
            ("portfolio_s_median", String(format: "%.4f", median(together))),
            ("separate_s_median", String(format: "%.4f", median(apart))),
            ("sleeve_bars_per_s", String(format: "%.1f", Double(series.count * count) / median(together))),
            ("portfolio_fills", "\(fills.portfolio)"), ("separate_fills", "\(fills.separate)"),
        ]
        print("RESULT {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
}
