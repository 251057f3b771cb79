import Foundation
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// The `pairs` strategy: the z-score and its bands by hand, dollar-neutral legs on a generated
/// cointegrated pair, and a leg refused before it is sent or by the broker after it was sent.
@Suite struct PairsStrategyTests {
    /// x rises by 1 a bar; y = 2x plus a small noise with a jump of 1.0 on bar 7.
    static let xCloses = ["10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21"]
    static let yCloses = ["20.1", "21.9", "24.05", "25.95", "28", "30.02", "31.98", "35", "36.3", "38.05", "40", "42"]
    static let handParameters = ["hedge": "static", "formation": "5", "window": "5", "log": "false", "entry": "1.5", "exit": "0.5",
                                 "stop": "10"]

    static func pair(_ y: [String], _ x: [String]) -> [BarSeries] {
        [BarSeries(instrument: .usEquity("YY"), bars: BarBuilder.flatDaily(y)), BarSeries(instrument: .usEquity("XX"), bars: BarBuilder.flatDaily(x))]
    }

    static func run(_ parameters: [String: String], _ series: [BarSeries]) throws -> BacktestResult {
        try StrategyRegistry.shared.backtest(strategy: "pairs", parameters: StrategyParameters(parameters), series: series,
                                             configuration: BacktestConfiguration())
    }

    /// The hedge fitted on bars 0-4 (by hand): x̄ = 12, ȳ = 24, Σdx·dy = 19.85, Σdx² = 10, so the ratio
    /// is 1.985 and the intercept 24 - 1.985 · 12 = 0.18. The spreads y - 0.18 - 1.985x of bars 3-7 are
    /// -0.035 (bar 3), 0.03, 0.065, 0.04, 1.075; bar 7's z-score over them is 1.783353 (sample
    /// deviation), the first beyond 1.5, so bar 7 sells the spread; bar 8's is 0.156286, inside 0.5,
    /// so bar 8 closes it.
    @Test func zScoreBandsEnterAndExitWhereTheHandCalculationSays() throws {
        let series = Self.pair(Self.yCloses, Self.xCloses)
        let result = try Self.run(Self.handParameters, series)
        // The same numbers, computed here from their definition.
        let x = Self.xCloses.map { Double($0)! }, y = Self.yCloses.map { Double($0)! }
        let meanX = x[0..<5].reduce(0, +) / 5, meanY = y[0..<5].reduce(0, +) / 5
        let ratio = (0..<5).map { (x[$0] - meanX) * (y[$0] - meanY) }.reduce(0, +) / (0..<5).map { (x[$0] - meanX) * (x[$0] - meanX) }.reduce(0, +)
        let intercept = meanY - ratio * meanX
        #expect(abs(ratio - 1.985) < 1e-12 && abs(intercept - 0.18) < 1e-12)
        func z(_ t: Int) -> Double {
            let spreads = (t - 4...t).map { y[$0] - intercept - ratio * x[$0] }
            let mean = spreads.reduce(0, +) / 5
            let deviation = (spreads.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
            return (spreads[4] - mean) / deviation
        }
        #expect(abs(z(7) - 1.783353) < 1e-6 && abs(z(8) - 0.156286) < 1e-6)
        #expect((4...6).allSatisfy { abs(z($0)) < 1.5 })

        let bars = series[0].bars
        let entries = result.decisions.filter { $0.detail.hasPrefix("pair_enter") }
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.timestamp == bars[7].timestamp && $0.detail.hasPrefix("pair_enter_short; z=1.7834 ") })
        // Each leg is half of 1,000,000: 500,000 / 35 = 14,285 of y sold, 500,000 / 17 = 29,411 of x bought.
        #expect(result.fills.count == 4)
        let y0 = try #require(result.fills.first { $0.instrument.index == 0 })
        let x0 = try #require(result.fills.first { $0.instrument.index == 1 })
        #expect(y0.side == .sell && y0.quantity == Quantity(14_285) && y0.price == Price("36.3")! && y0.timestamp == bars[8].timestamp)
        #expect(x0.side == .buy && x0.quantity == Quantity(29_411) && x0.price == Price("18")!)
        let exits = result.decisions.filter { $0.detail.hasPrefix("pair_exit") }
        #expect(exits.count == 2 && exits.allSatisfy { $0.timestamp == bars[8].timestamp && $0.detail.contains("z=0.1563") })
        #expect(result.account.position(InstrumentID(0)).isFlat && result.account.position(InstrumentID(1)).isFlat)
        try BookCheck.reconcile(result)
    }

    /// y's bar 6 raised to 32.3: the z-scores of bars 6, 7 and 8 become 1.732706, 1.688783 and 0.014290
    /// (same hedge, by hand). With entry 1.2 and stop 1.3, bar 6 sells the spread, bar 7's z-score
    /// beyond 1.3 stops it out, and nothing enters again (the later z-scores stay inside ±1.2).
    @Test func theStopClosesAHeldSpreadAndBlocksReentry() throws {
        var y = Self.yCloses
        y[6] = "32.3"
        var parameters = Self.handParameters
        parameters["entry"] = "1.2"
        parameters["stop"] = "1.3"
        let series = Self.pair(y, Self.xCloses)
        let result = try Self.run(parameters, series)
        let bars = series[0].bars
        let entry = try #require(result.decisions.first { $0.detail.hasPrefix("pair_enter_short") })
        #expect(entry.timestamp == bars[6].timestamp)
        let stop = try #require(result.decisions.first { $0.detail.hasPrefix("pair_stop") })
        #expect(stop.timestamp == bars[7].timestamp)
        #expect(result.decisions.filter { $0.detail.hasPrefix("pair_enter") }.count == 2)
    }

    /// x a random walk, y = 10 + 1.5x + an AR(1) with φ = 0.8: the pair trades many times with every
    /// hedge method, and at each entry both legs are worth the same at the decision bar's closes to
    /// within one share of either (the rounding to whole shares).
    @Test(arguments: ["static", "rolling", "kalman"])
    func aCointegratedPairTradesWithDollarNeutralLegs(hedge: String) throws {
        let series = Self.cointegratedPair(bars: 600, seed: 42)
        let result = try Self.run(["hedge": hedge, "formation": "100", "window": "20", "entry": "1.5", "exit": "0.25", "stop": "5"], series)
        let entries = result.decisions.filter { $0.detail.hasPrefix("pair_enter") && $0.outcome == .submitted }
        #expect(entries.count >= 10, "\(entries.count) entry legs")
        let byTime = Dictionary(grouping: entries, by: \.timestamp)
        for (time, legs) in byTime {
            #expect(legs.count == 2)
            guard legs.count == 2, let y = legs.first(where: { $0.instrument.index == 0 }),
                  let x = legs.first(where: { $0.instrument.index == 1 }) else { continue }
            #expect(y.side != x.side)
            let closeY = try #require(series[0].bars.first { $0.timestamp == time }).close
            let closeX = try #require(series[1].bars.first { $0.timestamp == time }).close
            let valueY = closeY * y.quantity, valueX = closeX * x.quantity
            let gap = valueY > valueX ? valueY - valueX : valueX - valueY
            #expect(gap <= max(closeY, closeX) * Quantity(1), "\(valueY) against \(valueX)")
        }
        #expect(result.finalEquity > result.account.initialCash, "a strongly mean-reverting spread earns without costs")
        try BookCheck.reconcile(result)
    }

    /// The same pair turns into two independent walks halfway: a rolling Engle-Granger test on the
    /// latest 100 bars stops passing, and the strategy closes and stays out.
    @Test func aPairThatStopsBeingCointegratedIsClosed() throws {
        var series = Self.cointegratedPair(bars: 800, seed: 7)
        var generator = SeededGenerator(seed: 99)
        var level = series[0].bars[400].close.doubleValue
        var broken = Array(series[0].bars[0...400])
        for bar in series[0].bars[401...] {
            level = max(1, level + generator.nextNormal(mean: 0, standardDeviation: 1.5))
            let price = Price(approximating: level).rounded(toTick: Price("0.01")!, up: false)
            broken.append(Bar(timestamp: bar.timestamp, open: price, high: price, low: price, close: price, volume: bar.volume))
        }
        series[0] = BarSeries(instrument: series[0].instrument, bars: broken)
        let result = try Self.run(["hedge": "rolling", "formation": "100", "entry": "1.5", "exit": "0.25", "stop": "5",
                                   "coint_pvalue": "0.05", "coint_every": "10"], series)
        let firstTest = try #require(result.decisions.first { $0.detail.contains(" p=") })
        #expect(firstTest.timestamp.nanoseconds > series[0].timestamps[100])
        let entriesAfter = result.decisions.filter {
            $0.detail.hasPrefix("pair_enter") && $0.timestamp.nanoseconds > series[0].timestamps[650]
        }
        let entriesBefore = result.decisions.filter { $0.detail.hasPrefix("pair_enter") && $0.timestamp.nanoseconds < series[0].timestamps[400] }
        #expect(entriesBefore.count >= 4)
        #expect(entriesAfter.count < entriesBefore.count)
        // Every entry was taken with a p-value at or below 0.05 written in its note.
        for entry in result.decisions where entry.detail.hasPrefix("pair_enter") {
            let p = entry.detail.split(separator: " ").first { $0.hasPrefix("p=") }.flatMap { Double($0.dropFirst(2)) }
            #expect(p.map { $0 <= 0.05 } == true, "\(entry.detail)")
        }
    }

    static func cointegratedPair(bars: Int, seed: UInt64) -> [BarSeries] {
        var generator = SeededGenerator(seed: seed)
        var x = 50.0, noise = 0.0
        var yCloses: [String] = [], xCloses: [String] = []
        for _ in 0..<bars {
            x = max(5, x + generator.nextNormal(mean: 0, standardDeviation: 0.5))
            noise = 0.8 * noise + generator.nextNormal(mean: 0, standardDeviation: 0.5)
            xCloses.append(String(format: "%.2f", x))
            yCloses.append(String(format: "%.2f", 10 + 1.5 * x + noise))
        }
        return pair(yCloses, xCloses)
    }

    // MARK: - One leg refused

    /// Each leg 1.5 times equity: selling y passes (a short needs no cash), buying x is refused for
    /// buying power. `unwind` cancels the y order on the same bar: nothing fills, the books stay flat,
    /// and the decisions say why.
    @Test func aRefusedLegUnwindsTheOther() throws {
        var parameters = Self.handParameters
        parameters["percent"] = "1.5"
        let result = try Self.run(parameters, Self.pair(Self.yCloses, Self.xCloses))
        let bars = Self.pair(Self.yCloses, Self.xCloses)[0].bars
        let refused = try #require(result.decisions.first { $0.outcome == .rejected })
        #expect(refused.instrument.index == 1 && refused.reason == .rejected(.insufficientBuyingPower) && refused.timestamp == bars[7].timestamp)
        let why = try #require(result.decisions.first { $0.detail.hasPrefix("pair_leg_rejected") })
        #expect(why.detail.contains("insufficient_buying_power") && why.detail.contains("YY order is canceled"), "\(why.detail)")
        #expect(result.fills.isEmpty)
        #expect(result.account.positions.allSatisfy { $0.isFlat })
    }

    /// The same refusal with `complete`: y's sale fills on bar 8, its proceeds fund x, and bar 8 sends
    /// x's 88,235 (1,500,000 / 17) again; it fills on bar 9. Both legs were then held together.
    @Test func aRefusedLegIsCompletedOnTheNextBar() throws {
        var parameters = Self.handParameters
        parameters["percent"] = "1.5"
        parameters["leg_failure"] = "complete"
        let series = Self.pair(Self.yCloses, Self.xCloses)
        let result = try Self.run(parameters, series)
        let bars = series[0].bars
        let completion = try #require(result.decisions.first { $0.detail.hasPrefix("pair_complete_leg") })
        #expect(completion.timestamp == bars[8].timestamp && completion.instrument.index == 1 && completion.outcome == .submitted)
        #expect(completion.quantity == Quantity(88_235) && completion.side == .buy)
        #expect(completion.detail.contains("XX holds 0 of 88235"), "\(completion.detail)")
        let xFill = try #require(result.fills.first { $0.instrument.index == 1 })
        #expect(xFill.timestamp == bars[9].timestamp && xFill.quantity == Quantity(88_235))
        let yFill = try #require(result.fills.first { $0.instrument.index == 0 })
        #expect(yFill.quantity == Quantity(42_857) && yFill.timestamp == bars[8].timestamp)
        try BookCheck.reconcile(result)
    }

    /// The kernel fed bar by bar against a broker's book, as the trading runtime runs it. The test
    /// broker fills market orders at the next bar's open, except the first order for x, which it rejects.
    struct BrokerRun: StrategyVisitor {
        let series: [BarSeries]
        func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> (decisions: [Decision], outbox: [BrokerVenue.Instruction], account: Account) {
            let venue = BrokerVenue(instruments: series.map(\.instrument), barIntervals: [Timestamp.nanosPerDay, Timestamp.nanosPerDay],
                                    clientOrderPrefix: "pgT")
            let empty = series.map { BarSeries(instrument: $0.instrument) }
            let kernel = TradingKernel(series: empty, strategy: strategy, venue: venue,
                                       account: Account(cash: configuration.initialCash, instrumentCount: 2), configuration: configuration,
                                       equity: EquityCurve(capacity: 64), periodsPerYear: 252)
            kernel.start()
            var outbox: [BrokerVenue.Instruction] = []
            for t in 0..<series[0].count {
                let time = series[0].bars[t].timestamp
                for (i, s) in series.enumerated() { kernel.receive(s.bars[t], instrument: i) }
                kernel.closeStep(at: time.nanoseconds)
                let sent = venue.takeOutbox()
                outbox += sent
                // The broker: market orders fill at the next bar's open, except the first x order, which it rejects.
                guard t + 1 < series[0].count else { continue }
                for case .submit(let id, let request) in sent {
                    let next = series[request.instrument.index].bars[t + 1]
                    if request.instrument.index == 1 && !outbox.dropLast(sent.count).contains(where: {
                        if case .submit(_, let earlier) = $0 { return earlier.instrument.index == 1 } else { return false }
                    }) {
                        venue.reject(id, reason: "insufficient shortable shares (test broker)", at: next.timestamp)
                    } else {
                        venue.report(id, status: .filled, filledQuantity: request.quantity, averagePrice: next.open,
                                     executedAt: next.timestamp, at: next.timestamp)
                    }
                }
            }
            kernel.dispatchEvents()
            kernel.finish()
            return (kernel.context.decisions, outbox, kernel.context.account)
        }
    }

    /// Live: both legs go to the broker; the broker fills y and rejects x. On the next bar the strategy
    /// sees y held alone, closes it (`unwind`), and its decision names the rejected order and the reason.
    @Test func aLegRejectedByTheBrokerIsUnwoundOnTheNextBar() throws {
        let series = Self.pair(Self.yCloses, Self.xCloses)
        let run = try StrategyRegistry.shared.build(strategy: "pairs", parameters: StrategyParameters(Self.handParameters), periodsPerYear: 252,
                                                    configuration: BacktestConfiguration(), visitor: Self.BrokerRun(series: series))
        let bars = series[0].bars
        let submits = run.outbox.compactMap { instruction -> OrderRequest? in
            if case .submit(_, let request) = instruction { return request } else { return nil }
        }
        // Bar 7 sends both legs; bar 8 (y held, x rejected) buys the 14,285 y back.
        #expect(submits.count == 3)
        #expect(submits[2].instrument.index == 0 && submits[2].side == .buy && submits[2].quantity == Quantity(14_285))
        let unwind = try #require(run.decisions.first { $0.detail.hasPrefix("pair_unwind") })
        #expect(unwind.timestamp == bars[8].timestamp && unwind.outcome == .submitted)
        #expect(unwind.detail.contains("XX holds 0 of 29411 (order rejected: insufficient shortable shares (test broker))"), "\(unwind.detail)")
        #expect(run.account.positions.allSatisfy { $0.isFlat })
        // No entry after the failure until the z-score came back inside ±0.5: bars 9-11 are, but the
        // z-score never again leaves ±1.5, so there is no other entry.
        #expect(run.decisions.filter { $0.detail.hasPrefix("pair_enter") }.count == 2)
    }

    /// The same broker rejection with `leg_failure=complete`: bar 8 sends x's 29,411 again, the broker
    /// fills it on bar 9, and bar 9 (z-score -0.44, inside ±0.5) closes both legs together.
    @Test func aLegRejectedByTheBrokerIsCompletedOnTheNextBar() throws {
        var parameters = Self.handParameters
        parameters["leg_failure"] = "complete"
        let series = Self.pair(Self.yCloses, Self.xCloses)
        let run = try StrategyRegistry.shared.build(strategy: "pairs", parameters: StrategyParameters(parameters), periodsPerYear: 252,
                                                    configuration: BacktestConfiguration(), visitor: Self.BrokerRun(series: series))
        let bars = series[0].bars
        let submits = run.outbox.compactMap { instruction -> OrderRequest? in
            if case .submit(_, let request) = instruction { return request } else { return nil }
        }
        #expect(submits.count == 5)
        #expect(submits[2].instrument.index == 1 && submits[2].side == .buy && submits[2].quantity == Quantity(29_411))
        let completion = try #require(run.decisions.first { $0.detail.hasPrefix("pair_complete_leg") })
        #expect(completion.timestamp == bars[8].timestamp && completion.outcome == .submitted)
        #expect(completion.detail.contains("XX holds 0 of 29411 (order rejected: insufficient shortable shares (test broker))"))
        let exits = run.decisions.filter { $0.detail.hasPrefix("pair_exit") }
        #expect(exits.count == 2 && exits.allSatisfy { $0.timestamp == bars[9].timestamp })
        #expect(run.decisions.filter { $0.detail.hasPrefix("pair_unwind") }.isEmpty)
        #expect(run.account.positions.allSatisfy { $0.isFlat })
    }

    @Test func badParametersAreRefusedWithTheirNames() throws {
        let series = Self.pair(Self.yCloses, Self.xCloses)
        #expect(throws: ConfigurationError.self) { try Self.run(["entry": "1", "exit": "2"], series) }
        #expect(throws: ConfigurationError.self) { try Self.run(["hedge": "median"], series) }
        do { _ = try Self.run(["entry": "3", "stop": "2"], series) } catch let error as ConfigurationError {
            #expect(error.message.contains("exit < entry < stop"))
        } catch { Issue.record("unexpected \(error)") }
        // A symbol not in the run: no trade, a decision that says so.
        let result = try? Self.run(["y": "ZZZ"], series)
        #expect(result?.fills.isEmpty == true)
        #expect(result?.decisions.first?.detail.hasPrefix("pairs_no_pair; y=ZZZ") == true)
        #expect(result?.decisions.first?.timestamp == series[0].bars[0].timestamp && result?.decisions.count == 1)
    }
}
