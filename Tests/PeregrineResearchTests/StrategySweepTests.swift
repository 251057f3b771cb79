import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineResearch
import PeregrineStrategies
import Testing

/// The general sweep: every combination of any registered strategy, run in parallel with shared
/// signal tapes, equals that combination's own sequential backtest; the sma-cross fast path equals
/// the kernel path.
@Suite struct StrategySweepTests {
    static func market(bars: Int, seed: UInt64, interval: Int64 = Timestamp.nanosPerDay) -> BarSeries {
        SyntheticMarket.series(bars: bars, seed: seed, interval: interval)
    }

    static let sma = "crosses_above(sma(close, $fast), sma(close, $slow))"
    static let smaExit = "crosses_below(sma(close, $fast), sma(close, $slow))"

    /// Per strategy: its grid, the bars it runs on, and fixed parameters.
    static let cases: [(strategy: String, grid: [String], bars: Int, base: [String: String])] = [
        ("sma-cross", ["fast=2..40:1", "slow=10..120:5"], 1_500, ["quantity": "50"]),
        ("buy-and-hold", ["percent=0.01..1.00:0.01"], 400, [:]),
        ("signaling-game", ["min_prob_up=0.50..0.70:0.02", "kelly=0.10..0.50:0.10", "min_confidence=0,0.05,0.1"], 260, [:]),
        ("rsi-bollinger", ["rsi=5..30:1", "oversold=20..40:5", "width=1.5..2.5:0.5"], 1_500, [:]),
        ("bandit-sma", ["seed=0..100:1", "quantity=10..100:10"], 1_500, [:]),
        ("hmm-regime", ["refit=10..200:5", "percent=0.5,0.95"], 420, ["training": "60"]),
        ("rules", ["fast=2..30:1", "slow=20..120:10", "hold=5..40:5"], 1_500,
         ["entry": sma + " and rsi(close, 14) < 75", "exit": smaExit + " or bars_held >= $hold", "percent": "0.5"]),
    ]

    @Test(arguments: 0..<7)
    func thirtyRandomPointsEqualTheirOwnBacktests(index: Int) throws {
        let c = Self.cases[index]
        let series = [Self.market(bars: c.bars, seed: UInt64(40 + index))]
        var configuration = BacktestConfiguration()
        configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
        configuration.risk = nil
        let grid = try StrategyGrid(axes: c.grid, constraints: c.grid.contains { $0.hasPrefix("slow") } ? ["fast<slow"] : [])
        let sweep = StrategySweep(strategy: c.strategy, base: StrategyParameters(c.base), series: series, configuration: configuration)
        let outcome = sweep.run(.random(count: 30, seed: 3), candidates: grid.combinations, objective: .sharpe, threads: 2)
        #expect(outcome.results.count == 30)
        var traded = 0
        for row in outcome.results {
            #expect(row.failure == nil, "\(c.strategy) \(row.text): \(row.failure ?? "")")
            // Each backtest on its own: a fresh strategy, no tape, one thread.
            let own = try StrategyRegistry.shared.backtest(strategy: c.strategy, parameters: sweep.parameters(row.values),
                                                           series: series, configuration: configuration)
            #expect(row.fills == own.metrics.fillCount, "\(c.strategy) \(row.text)")
            #expect(row.finalEquity == own.finalEquity, "\(c.strategy) \(row.text): \(row.finalEquity) vs \(own.finalEquity)")
            #expect(row.roundTrips == own.metrics.trades.roundTrips)
            if row.fills > 0 { traded += 1 }
        }
        // The comparison means something only if the points trade.
        #expect(traded >= 20, "\(c.strategy): only \(traded) of 30 points traded")
    }

    @Test func smaCrossFastPathEqualsTheKernelPath() throws {
        let series = [Self.market(bars: 5_000, seed: 9, interval: Timestamp.nanosPerMinute)]
        var configuration = BacktestConfiguration()
        configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
        let grid = try StrategyGrid(axes: ["fast=3..30:3", "slow=20..100:10"], constraints: ["fast<slow"])
        let base = StrategyParameters(["quantity": "100"])
        let fast = SMACrossFastPath(strategy: "sma-cross", base: base, grid: grid, series: series, configuration: configuration)
        #expect(fast.refusal == nil)
        let viaFastPath = fast.run(.grid, candidates: grid.combinations, objective: .sharpe).results
        let viaKernel = StrategySweep(strategy: "sma-cross", base: base, series: series, configuration: configuration)
            .run(grid.combinations, threads: 2)
        // fast 3..18 meet all nine slow windows, 21..27 eight (not 20), 30 seven (not 20 or 30): 54 + 24 + 7.
        #expect(viaFastPath.count == viaKernel.count && viaKernel.count == 85)
        for (a, b) in zip(viaFastPath, viaKernel) {
            #expect(a.values == b.values)
            #expect(a.fills == b.fills && a.roundTrips == b.roundTrips && a.finalEquity == b.finalEquity, "\(a.text)")
            #expect(abs(a.sharpe - b.sharpe) <= 1e-9 * max(1, abs(b.sharpe)) || (a.sharpe.isNaN && b.sharpe.isNaN))
        }
        // Anything the fast path does not model sends the sweep to the kernel.
        var withSlippage = configuration
        withSlippage.venue.slippage = try SlippageModel(specification: "bps:2")
        #expect(SMACrossFastPath(strategy: "sma-cross", base: base, grid: grid, series: series, configuration: withSlippage).refusal != nil)
        #expect(SMACrossFastPath(strategy: "sma-cross", base: StrategyParameters(["percent": "0.5"]), grid: grid, series: series,
                                 configuration: configuration).refusal != nil)
    }

    @Test func gridsStepDecimalsAndListsAndRefuseNonsense() throws {
        let grid = try StrategyGrid(axes: ["min_prob_up=0.50..0.60:0.05", "short=true,false", "arms=5/20,10/30;20/60"], constraints: [])
        #expect(grid.axes[0].values == ["0.50", "0.55", "0.60"])
        #expect(grid.axes[1].values == ["true", "false"])
        #expect(grid.axes[2].values == ["5/20,10/30", "20/60"])
        #expect(grid.combinations.count == 12)
        #expect(throws: ParameterGrid.ParseError.self) { try StrategyGrid(axes: ["fast=9..1"], constraints: []) }
        #expect(throws: ParameterGrid.ParseError.self) { try StrategyGrid(axes: ["fast=1..9:0"], constraints: []) }
        #expect(throws: ParameterGrid.ParseError.self) { try StrategyGrid(axes: ["fast=1..9"], constraints: ["fast<slow"]) }
    }
}
