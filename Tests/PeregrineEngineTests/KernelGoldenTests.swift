import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineRisk
import PeregrineStrategies
import Testing

/// Speed work on the kernel must not change a single result. Each case runs a backtest with many
/// orders on generated bars and writes the report files (fills, trades, equity, orders, decisions,
/// summary); they must equal, byte for byte, the files in `Tests/Fixtures/kernel-golden`, which were
/// written by the kernel before that work. `PEREGRINE_WRITE_GOLDEN=1` rewrites them: only do so for
/// a change meant to alter results, and say why in its commit. (Rewritten once since: historical CVaR
/// now sums its tail in the series' order, `LowerTail`, which moved the last two digits of the
/// report's Monte Carlo CVaR; every other byte stayed.)
@Suite struct KernelGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/kernel-golden").path

    static func bars(seed: UInt64) -> BarSeries {
        var options = SyntheticMarket.Options()
        options.bars = 4_000
        options.seed = seed
        options.tick = Price("0.000001")!
        return SyntheticMarket(options: options).generate()
    }

    /// The benchmark's backtest (SMA crossover, 100 shares, next-open fills, no costs), with short
    /// windows so it trades every few bars.
    @Test func smaCrossAsBenchmarked() throws {
        let strategy = SMACrossStrategy(fast: 3, slow: 8, sizing: PositionSizing(base: .quantity(Quantity(100))))
        try check("sma-cross", BacktestEngine(series: [Self.bars(seed: 42)], strategy: strategy).run())
    }

    /// Shorts, costs, the default risk limits and resting stop and target orders: the other paths an
    /// order takes through the gate, the checks, the venue and the books.
    @Test func smaCrossWithShortsCostsRiskAndRestingExits() throws {
        var configuration = BacktestConfiguration()
        configuration.allowShort = true
        configuration.risk = RiskLimits()
        configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
        configuration.venue.slippage = try SlippageModel(specification: "bps:5")
        var plan = ExitPlan(stopLoss: .percent(0.004), takeProfit: .percent(0.008))
        plan.resting = true
        configuration.exits = plan
        let strategy = SMACrossStrategy(fast: 4, slow: 11, sizing: PositionSizing(base: .quantity(Quantity(250))))
        try check("sma-cross-short-costs-risk-exits", BacktestEngine(series: [Self.bars(seed: 7)], strategy: strategy,
                                                                   configuration: configuration).run())
    }

    /// The benchmark itself (`peregrine-bench`: SMA 10/30, 100 shares, 1,000,000 cash, next-open
    /// fills, no costs, generated bars with six-decimal prices from seed 42) on its first 10,000
    /// bars, with and without the default risk limits. The equity file is left out (one row a bar);
    /// the summary's statistics are computed from it.
    @Test(arguments: [false, true]) func benchmarkBacktest(withRisk: Bool) throws {
        var options = SyntheticMarket.Options()
        options.bars = 10_000
        options.seed = 42
        options.tick = Price("0.000001")!
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(1_000_000)
        if withRisk { configuration.risk = RiskLimits() }
        let strategy = SMACrossStrategy(fast: 10, slow: 30, sizing: PositionSizing(base: .quantity(Quantity(100))))
        let result = BacktestEngine(series: [SyntheticMarket(options: options).generate()], strategy: strategy,
                                    configuration: configuration).run()
        try check(withRisk ? "benchmark-sma-10-30-risk" : "benchmark-sma-10-30", result,
                  files: ["summary.json", "fills.csv", "trades.csv", "orders.csv", "decisions.csv"])
    }

    private func check(_ name: String, _ result: BacktestResult,
                       files: [String] = ["summary.json", "fills.csv", "trades.csv", "equity.csv", "orders.csv", "decisions.csv"]) throws {
        #expect(result.fills.count > 100, "too few fills to guard the order path: \(result.fills.count)")
        let report = BacktestReport(result: result, strategy: "sma-cross", parameters: [:], dataSources: ["synthetic"],
                                    loadSeconds: 0, runSeconds: 0)
        let written = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-golden-\(name)-\(getpid())").path
        try FileManager.default.createDirectory(atPath: written, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: written) }
        try report.write(to: written)
        let golden = Self.fixtures + "/" + name
        if ProcessInfo.processInfo.environment["PEREGRINE_WRITE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: golden, withIntermediateDirectories: true)
            for file in files {
                try? FileManager.default.removeItem(atPath: golden + "/" + file)
                try FileManager.default.copyItem(atPath: written + "/" + file, toPath: golden + "/" + file)
            }
        }
        for file in files {
            let actual = try String(contentsOfFile: written + "/" + file, encoding: .utf8)
            let expected = try String(contentsOfFile: golden + "/" + file, encoding: .utf8)
            #expect(actual == expected, "\(name)/\(file) differs from the golden file")
        }
    }
}
