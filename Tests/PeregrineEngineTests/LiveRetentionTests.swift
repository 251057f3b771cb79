import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineRisk
import PeregrineTestSupport
import Testing

/// A live kernel keeps a window of its past (`TradingKernel.releaseRecords`): fed bar by bar as a
/// trading bot feeds it, releasing after every bar, it must trade exactly as the backtest that keeps
/// every bar, while never holding more than the window and its chunk.
@Suite struct LiveRetentionTests {
    /// Buys a close above the range of the `lookback` closes before it and sells one below, reading
    /// the range from its history (no indicator state), and notes what its quarter-hour view shows:
    /// a history or view shifted by a trim would show in its trades or its sights.
    struct RangeBreakout: Strategy {
        struct Sight: Equatable {
            let quarters: Int
            let lastQuarter: Bar?
            let low: Price
            let high: Price
        }

        var lookback = 40
        var sights: [Sight] = []

        mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
            let quarters = context.history(instrument, timeframe: .minutes(15))
            let history = context.history(instrument)
            guard history.count > lookback else { return }
            let prior = history.closes(last: lookback + 1).dropLast()
            let low = prior.min()!, high = prior.max()!
            sights.append(Sight(quarters: quarters.count, lastQuarter: quarters.count > 0 ? quarters[ago: 0] : nil, low: low, high: high))
            let position = context.position(instrument).quantity
            if bar.close > high && position.isZero {
                context.signal(.buy, instrument, quantity: Quantity(100))
            } else if bar.close < low && !position.isZero {
                context.signal(.sell, instrument, quantity: Quantity(100))
            }
        }
    }

    static let minute = Timestamp.nanosPerMinute

    /// Resting stop and target: orders working at the venue while bars are dropped under them.
    static func configuration() -> BacktestConfiguration {
        var configuration = BacktestConfiguration()
        configuration.barInterval = minute
        var plan = ExitPlan(stopLoss: .percent(0.004), takeProfit: .percent(0.006))
        plan.resting = true
        configuration.exits = plan
        return configuration
    }

    @Test func aLiveKernelFedFiftyThousandBarsKeepsItsWindowAndTradesAsTheBacktest() {
        let series = SyntheticMarket.series(bars: 50_000, seed: 17, interval: Self.minute, symbol: "WIN")
        let configuration = Self.configuration()
        let backtest = BacktestEngine(series: [series], strategy: RangeBreakout(), configuration: configuration)
        let expected = backtest.run()

        let retention = LiveRetention(window: 400, records: 100)
        let venue = SimulatedVenue(instruments: [series.instrument], configuration: configuration.venue, barIntervals: [Self.minute])
        let kernel = TradingKernel(series: [BarSeries(instrument: series.instrument)], strategy: RangeBreakout(), venue: venue,
                                   account: Account(cash: configuration.initialCash, instrumentCount: 1), configuration: configuration,
                                   equity: EquityCurve(capacity: retention.window + retention.chunk + 1), periodsPerYear: 252 * 390)
        var summary: EquitySummary? = EquitySummary(initial: configuration.initialCash)
        var fills: [Fill] = []
        var decisions: [Decision] = []
        var mostBars = 0, mostPoints = 0, mostFills = 0
        var droppedBars = 0, droppedFills = 0, trimsUnderOpenOrders = 0
        var collected = 0
        kernel.start()
        for bar in series.bars {
            kernel.receive(bar, instrument: 0)
            kernel.closeStep(at: bar.timestamp.nanoseconds)
            mostBars = max(mostBars, kernel.context.history(InstrumentID(0)).count)
            mostPoints = max(mostPoints, kernel.equityCurve.count)
            mostFills = max(mostFills, kernel.fills.count)
            // As the trading session does after storing a turn: what is stored may go.
            fills += kernel.fills[collected...]
            decisions += kernel.context.decisions
            kernel.forgetDecisions(kernel.context.decisions.count)
            let released = kernel.releaseRecords(retention, foldingEquityInto: &summary)
            droppedBars += released.bars
            droppedFills += released.fills
            collected = kernel.fills.count
            if released.bars > 0 && !kernel.context.position(InstrumentID(0)).isFlat && venue.hasOpenOrders(InstrumentID(0)) {
                trimsUnderOpenOrders += 1
            }
        }
        kernel.finish()

        // Bounded: never more than the window and a chunk (trimmed as soon as that many are in), many times over.
        #expect(mostBars == retention.window + retention.chunk && mostPoints == retention.window + retention.chunk)
        // Fills have their own, smaller bound: reached (a bar brings at most a few) and trimmed back.
        let recordLimit = retention.records + retention.recordChunk
        #expect((recordLimit...recordLimit + 2).contains(mostFills) && droppedFills > 0, "\(mostFills) \(droppedFills)")
        #expect(kernel.result(bars: series.count).roundTrips.count <= retention.records + retention.recordChunk)
        #expect(droppedBars > 45_000 && kernel.context.history(InstrumentID(0)).count <= retention.window + retention.chunk)
        #expect(trimsUnderOpenOrders > 5, "\(trimsUnderOpenOrders) trims with a position and its resting exits open")

        // The same trading, bar for bar.
        #expect(expected.fills.count > 500 && fills == expected.fills, "\(fills.count) live, \(expected.fills.count) backtest")
        #expect(decisions == expected.decisions)
        #expect(expected.decisions.contains { $0.reason == .restingExit })
        #expect(kernel.strategy.sights == backtest.strategy.sights)
        #expect(kernel.context.cash == expected.account.cash && kernel.context.position(InstrumentID(0)) == expected.account.position(InstrumentID(0)))

        // The run's figures from the folded summary and the window left equal the full curve's.
        let whole = summary!.adding(kernel.equityCurve)
        let full = ReturnStatistics(returns: expected.equity.periodReturns(initial: configuration.initialCash), periodsPerYear: 252 * 390)
        #expect(whole.points == series.count && whole.last == expected.equity.last!.equity)
        #expect(whole.peak == expected.equity.map(\.equity).max()!)
        #expect(abs(whole.totalReturn - full.totalReturn) < 1e-12)
        #expect(abs(whole.maxDrawdown - full.maxDrawdown) < 1e-12 && whole.maxDrawdown < 0)
        #expect(whole.maxDrawdownPeriods == full.maxDrawdownPeriods)
        #expect(abs(whole.sharpe(periodsPerYear: 252 * 390) - full.sharpe) < 1e-9 * max(1, abs(full.sharpe)))
    }

    /// Six points from 100, worked by hand: returns 10%, -10%, 22/99, -10%, 21.1/108.9; two dips of
    /// 10% below a peak, one step each; 30% in all.
    @Test func theSummaryOfACurveWorkedByHand() {
        let values = ["110", "99", "121", "108.9", "130"].map { Money($0)! }
        var summary = EquitySummary(initial: Money(100))
        for (k, value) in values.enumerated() { summary.add(value, at: Int64(k + 1)) }
        let returns = [0.1, -0.1, 22.0 / 99, -0.1, 21.1 / 108.9]
        let mean = returns.reduce(0, +) / 5
        let deviation = (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
        #expect(summary.points == 5 && summary.peak == values[4] && summary.last == values[4])
        #expect(abs(summary.totalReturn - 0.3) < 1e-12)
        #expect(abs(summary.maxDrawdown + 0.1) < 1e-12 && summary.maxDrawdownPeriods == 1)
        #expect(abs(summary.meanReturn - mean) < 1e-12 && abs(summary.returnDeviation - deviation) < 1e-12)
        #expect(abs(summary.meanReturn - 0.0631955922865014) < 1e-12 && abs(summary.returnDeviation - 0.1556884614415099) < 1e-12)
        #expect(summary.firstTime == Timestamp(nanoseconds: 1) && summary.lastTime == Timestamp(nanoseconds: 5))
    }

    /// Trimming waits for a chunk past the window, then keeps exactly the window.
    @Test func trimmingIsInChunks() {
        let retention = LiveRetention(window: 1_000)
        #expect(retention.chunk == 500)
        #expect(retention.excess(1_499) == 0 && retention.excess(1_500) == 500 && retention.excess(40_000) == 39_000)
        #expect(LiveRetention(window: 10).chunk == 64 && LiveRetention(window: 0).window == 1)
        #expect(retention.records == LiveRetention.defaultRecords && LiveRetention(window: 5, records: 0).records == 1)
        let records = LiveRetention(window: 1_000, records: 300)
        #expect(records.recordChunk == 150 && records.excessRecords(449) == 0 && records.excessRecords(450) == 150 && records.excess(1_499) == 0)
        var series = SyntheticMarket.series(bars: 30, seed: 1)
        let last = series[29]
        series.removeOldest(25)
        #expect(series.count == 5 && series[4] == last && series.timestamps.count == 5)
        let curve = EquityCurve(capacity: 8)
        for k in 0..<8 { curve.record(Money(units: Int128(k)), at: Int64(k)) }
        curve.removeOldest(5)
        #expect(curve.map(\.equity) == [5, 6, 7].map { Money(units: $0) } && curve.map(\.timestamp.nanoseconds) == [5, 6, 7])
        curve.record(Money(units: 8), at: 8)
        #expect(curve.count == 4 && curve.last?.equity == Money(units: 8))
    }
}
