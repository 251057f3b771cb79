import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineIndicators
import PeregrineRisk
import PeregrineStrategies
import Testing

/// The kernel feeds a strategy that can skip (`skipQuietBars`) whole runs of bars on which nothing
/// happens. That must change nothing: every report file of a backtest equals, byte for byte, the
/// one written when the same strategy is stepped bar by bar.
@Suite struct QuietBarSkipTests {
    /// The same strategy with the default `skipQuietBars`: the kernel steps it through every bar.
    struct SteppedEveryBar<S: Strategy>: Strategy {
        var inner: S
        static var observesOrderUpdates: Bool { S.observesOrderUpdates }
        mutating func onStart(_ context: StrategyContext) { inner.onStart(context) }
        mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) { inner.onBar(bar, instrument: instrument, context) }
        mutating func onFill(_ fill: Fill, _ context: StrategyContext) { inner.onFill(fill, context) }
        mutating func onOrderUpdate(_ order: Order, _ context: StrategyContext) { inner.onOrderUpdate(order, context) }
        mutating func onStop(_ context: StrategyContext) { inner.onStop(context) }
    }

    /// The same strategy, skipping as it does, counting the bars the kernel stepped it through.
    struct CountingSteps<S: Strategy>: Strategy {
        final class Count: @unchecked Sendable { var bars = 0 }
        var inner: S
        let count = Count()
        static var observesOrderUpdates: Bool { S.observesOrderUpdates }
        static var skipsQuietBars: Bool { S.skipsQuietBars }
        mutating func onStart(_ context: StrategyContext) { inner.onStart(context) }
        mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
            count.bars += 1
            inner.onBar(bar, instrument: instrument, context)
        }
        mutating func skipQuietBars(_ columns: BarSeries.Columns, from: Int, to: Int, instrument: InstrumentID) -> Int {
            inner.skipQuietBars(columns, from: from, to: to, instrument: instrument)
        }
    }

    static func bars(seed: UInt64, count: Int) -> BarSeries {
        var options = SyntheticMarket.Options()
        options.bars = count
        options.seed = seed
        options.tick = Price("0.000001")!
        return SyntheticMarket(options: options).generate()
    }

    static func files(_ result: BacktestResult) throws -> [String: String] {
        let report = BacktestReport(result: result, strategy: "sma-cross", parameters: [:], dataSources: ["synthetic"],
                                    loadSeconds: 0, runSeconds: 0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quiet-skip-\(getpid())-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try report.write(to: directory)
        var files: [String: String] = [:]
        for name in ["summary.json", "fills.csv", "trades.csv", "equity.csv", "orders.csv", "decisions.csv"] {
            files[name] = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        }
        return files
    }

    struct Case: CustomStringConvertible, Sendable {
        var seed: UInt64
        var fast: Int
        var slow: Int
        var short = false
        var atClose = false
        var costs = false
        var tradingStartBar: Int?
        /// The default risk limits, with this drawdown limit (the kill switch) when given.
        var risk = false
        var maxDrawdown: Double?
        var dailyLoss: Double?
        var description: String {
            "seed \(seed) \(fast)/\(slow) short \(short) close \(atClose) costs \(costs) start \(tradingStartBar.map(String.init) ?? "-") "
                + "risk \(risk) drawdown \(maxDrawdown.map { "\($0)" } ?? "-") daily loss \(dailyLoss.map { "\($0)" } ?? "-")"
        }
    }

    @Test(arguments: [
        Case(seed: 42, fast: 10, slow: 30),
        Case(seed: 7, fast: 3, slow: 8, short: true),
        Case(seed: 11, fast: 5, slow: 20, atClose: true, costs: true),
        Case(seed: 12, fast: 2, slow: 3, short: true, costs: true),
        Case(seed: 13, fast: 8, slow: 40, tradingStartBar: 1_500),
        Case(seed: 14, fast: 30, slow: 10, short: true, tradingStartBar: 700),
        Case(seed: 42, fast: 10, slow: 30, risk: true),
        Case(seed: 15, fast: 3, slow: 12, short: true, costs: true, risk: true),
        // A drawdown limit the run crosses: the kill switch flattens on a bar the strategy would have skipped.
        Case(seed: 16, fast: 5, slow: 25, short: true, risk: true, maxDrawdown: 0.0001),
        Case(seed: 17, fast: 20, slow: 60, risk: true, maxDrawdown: 0.0002),
        // A daily loss limit crossed on skipped bars: the breaker turns reducing-only there, and entries
        // are refused until the next session.
        Case(seed: 18, fast: 5, slow: 20, short: true, risk: true, dailyLoss: 0.00003),
    ])
    func skippingChangesNoReportFile(_ example: Case) throws {
        let series = Self.bars(seed: example.seed, count: 5_000)
        var configuration = BacktestConfiguration()
        configuration.allowShort = example.short
        if example.atClose { configuration.venue.fillTiming = .close }
        if example.risk {
            var limits = RiskLimits()
            if let drawdown = example.maxDrawdown { limits.maxDrawdown = drawdown }
            if let loss = example.dailyLoss { limits.dailyLossLimit = loss }
            configuration.risk = limits
        }
        if example.costs {
            configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
            configuration.venue.slippage = try SlippageModel(specification: "bps:5")
        }
        var strategy = SMACrossStrategy(fast: example.fast, slow: example.slow, sizing: PositionSizing(base: .quantity(Quantity(100))))
        if let bar = example.tradingStartBar {
            let start = Timestamp(nanoseconds: series.timestamps[bar])
            strategy.tradingStart = start
            configuration.tradingStart = start
        }
        let counting = CountingSteps(inner: strategy)
        let skipped = BacktestEngine(series: [series], strategy: counting, configuration: configuration).run()
        // The fast path was taken: most bars never reach the strategy's onBar.
        #expect(counting.count.bars < series.count * 3 / 4, "stepped through \(counting.count.bars) of \(series.count) bars")
        let stepped = BacktestEngine(series: [series], strategy: SteppedEveryBar(inner: strategy), configuration: configuration).run()
        #expect(skipped.fills.count > 50 || example.maxDrawdown != nil, "too few fills to cover the order path: \(skipped.fills.count)")
        if example.maxDrawdown != nil {
            #expect(skipped.decisions.contains { $0.detail.contains("kill_switch") }, "the kill switch never flattened")
        }
        if example.dailyLoss != nil {
            #expect(skipped.decisions.contains { $0.outcome == .rejected && $0.detail.contains("daily_loss_limit") },
                    "no entry refused after the daily loss limit")
        }
        #expect(skipped.equity.count == series.count)
        let a = try Self.files(skipped), b = try Self.files(stepped)
        for name in a.keys.sorted() { #expect(a[name] == b[name], "\(example): \(name) differs between skipping and stepping") }
    }

    /// `feedUntilCross` stops exactly where `update` would first return a crossing, with the same
    /// state, over random prices (flat stretches included, so equal averages occur).
    @Test func feedUntilCrossStopsWhereUpdateCrosses() {
        var random = SeededGenerator(seed: 5)
        for trial in 0..<200 {
            let fast = 1 + Int(random.next() % 12), slow = 1 + Int(random.next() % 40)
            var prices: [Int64] = []
            var price: Int64 = 1_000
            for _ in 0..<400 {
                if random.next() % 3 != 0 { price += Int64(random.next() % 7) - 3 }
                prices.append(price)
            }
            var stepped = MovingAverageCross(fast: fast, slow: slow)
            var fed = MovingAverageCross(fast: fast, slow: slow)
            // Every other trial first feeds a prefix one by one and then hands feedUntilCross a series
            // whose prefix differs from it, so the values leaving the windows must come from its ring.
            let prefix = trial % 2 == 1 ? 60 : 0
            for k in 0..<prefix { _ = stepped.update(prices[k]); _ = fed.update(prices[k]) }
            var series = prices
            for k in 0..<prefix { series[k] = -7 }
            var k = prefix
            while k < prices.count {
                let stop = series.withUnsafeBufferPointer { fed.feedUntilCross($0, from: k, to: prices.count) }
                while k < stop {
                    #expect(stepped.update(prices[k]) == nil, "trial \(trial): update crossed at \(k) where feedUntilCross went on")
                    k += 1
                }
                #expect(fed.fastSum == stepped.fastSum && fed.slowSum == stepped.slowSum, "trial \(trial): sums differ at \(k)")
                guard k < prices.count else { break }
                #expect(stepped.update(prices[k]) != nil, "trial \(trial): feedUntilCross stopped at \(k) without a crossing")
                #expect(fed.update(prices[k]) != nil)
                k += 1
            }
        }
    }
}
