import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineLive
import PeregrineModels
import PeregrineRisk
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Synchronization
import Testing

/// The trading runtime against the local exchange: the same strategy code, the same kernel, orders
/// over the Alpaca API, and the same fills as the backtest of the same bars.
@Suite struct TradingRuntimeTests {
    let keys = AlpacaCredentials(keyID: "PKRUN", secret: "run-secret")
    let series = SyntheticMarket.series(bars: 1_500, seed: 21, interval: Timestamp.nanosPerDay, symbol: "SYN")
    let warmUp = 60

    func exchange() async -> LocalExchange {
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: warmUp)
        return exchange
    }

    func broker(_ transport: any HTTPTransport, attempts: Int = 1) -> AlpacaTradingClient {
        AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: transport,
                            retry: RetryPolicy(maxAttempts: attempts), clock: { 0 }, sleep: { _ in })
    }

    func settings(_ parameters: [String: String] = ["fast": "10", "slow": "30"]) throws -> TradingSettings {
        var settings = TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(parameters), symbols: ["SYN"],
                                       timeframe: try BarTimeframe("1Day"))
        settings.warmUpBars = warmUp
        settings.stepLocalClock = true
        return settings
    }

    /// The backtest of the same bars, trading from the first bar after the warm-up.
    func backtest() throws -> BacktestResult {
        var configuration = BacktestConfiguration()
        configuration.tradingStart = Timestamp(nanoseconds: series.timestamps[warmUp])
        return try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(["fast": "10", "slow": "30"]),
                                            series: [series], configuration: configuration)
    }

    @Test func simulatedTradingFillsLikeTheBacktest() async throws {
        let exchange = await exchange()
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/trade.sqlite")
        let session = try await TradingRuntime.start(settings: try settings(), broker: broker(InProcessTransport(exchange)),
                                                     store: store, log: { _ in })
        let report = try await session.run(until: StopSignal())
        let expected = try backtest()

        #expect(report.warmUpBars == warmUp && report.liveBars == series.count - warmUp, "\(report.warmUpBars) \(report.liveBars)")
        #expect(report.fills.count == expected.fills.count && report.fills.count > 20)
        #expect(report.fills.map(\.price) == expected.fills.map(\.price))
        #expect(report.fills.map(\.timestamp) == expected.fills.map(\.timestamp))
        #expect(report.fills.map(\.side) == expected.fills.map(\.side))
        #expect(report.fills.map(\.quantity) == expected.fills.map(\.quantity))
        #expect(report.equity == expected.finalEquity)
        #expect(report.brokerEquity == expected.finalEquity)
        #expect(report.stopReason == "the exchange has no more bars")
        // Warm-up decisions were refused in both, and counted the same way.
        #expect(report.decisionCounts == expected.decisionCounts, "\(report.decisionCounts) vs \(expected.decisionCounts)")
        #expect((report.decisionCounts["held:warm_up"] ?? 0) > 0)

        // The store has every order once, acknowledged, and every fill.
        let orders = try store.orders(runID: report.runID, tradingOnly: true)
        #expect(orders.count == report.ordersSent && Set(orders.map(\.clientOrderID)).count == orders.count)
        #expect(orders.allSatisfy { $0.state == .acknowledged })
        let fills = try store.fills(runID: report.runID, tradingOnly: true)
        #expect(fills.map(\.price) == expected.fills.map(\.price))
        let decisions = try store.decisions(runID: report.runID!)
        #expect(decisions.count == expected.decisions.count && decisions.allSatisfy { $0.strategy == "sma-cross" })
        let run = try store.runs().first { $0.id == report.runID }
        #expect(run?.kind == "local" && run?.finalEquity == expected.finalEquity && run?.bars == series.count - warmUp)

        // Account snapshots: at start, after every turn with a bar, at shutdown; each one's equity and
        // position are the backtest's at that bar.
        let snapshots = try store.snapshots(runID: report.runID).map(\.snapshot)
        #expect(snapshots.count == 2 + (series.count - warmUp))
        #expect(snapshots.last?.equity == expected.finalEquity && snapshots.last?.cash == expected.account.cash)
        for snapshot in snapshots.dropFirst().dropLast() {
            let bar = try #require(expected.equity.firstIndex { $0.timestamp == snapshot.time })
            #expect(snapshot.equity == expected.equity[bar].equity, "\(snapshot.time)")
            var held = Quantity.zero
            for fill in expected.fills where fill.timestamp <= snapshot.time { held += fill.side == .buy ? fill.quantity : -fill.quantity }
            #expect((snapshot.positions["SYN"] ?? .zero) == held)
        }
    }

    /// A bot keeping only its warm-up's 60 bars in memory (`history_bars` below it) and one record
    /// (`history_records`) over 1,440 bars lets go of bars, equity points, fills, decisions and settled
    /// orders many times, and still trades as the backtest: its stored fills
    /// and decisions are the backtest's, and its run's summary is the backtest's equity from the warm-up's
    /// end (its last point, its peak and its drawdown over the same points, worked out here from the curve).
    @Test func aBotKeepingAShortHistoryTradesAsTheBacktest() async throws {
        let exchange = await exchange()
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/short.sqlite")
        var settings = try settings()
        settings.historyBars = 1
        #expect(settings.retention == LiveRetention(window: warmUp) && settings.historyRecords == LiveRetention.defaultRecords)
        settings.historyRecords = 1
        let session = try await TradingRuntime.start(settings: settings, broker: broker(InProcessTransport(exchange)),
                                                     store: store, log: { _ in })
        let report = try await session.run(until: StopSignal())
        let expected = try backtest()
        let fills = try store.fills(runID: report.runID, tradingOnly: true)
        #expect(report.fillCount == expected.fills.count && fills.count == expected.fills.count && fills.count > 20)
        #expect(fills.map(\.price) == expected.fills.map(\.price) && fills.map(\.timestamp) == expected.fills.map(\.timestamp))
        let recordLimit = settings.retention.records + settings.retention.recordChunk
        #expect(report.fills.count < recordLimit && expected.fills.count > 2 * recordLimit, "\(report.fills.count) of \(expected.fills.count)")
        #expect(report.orderCount == expected.orders.count && report.ordersInMemory < recordLimit + 2, "\(report.ordersInMemory) of \(report.orderCount)")
        let decisions = try store.decisions(runID: report.runID!)
        #expect(decisions.count == expected.decisions.count)
        #expect(decisions.map(\.reason) == expected.decisions.map(\.reason.code) && decisions.map(\.time) == expected.decisions.map(\.timestamp))
        #expect(report.decisionCounts == expected.decisionCounts)

        let summary = try #require(report.equitySummary)
        let traded = Array(expected.equity.dropFirst(warmUp))
        let start = expected.equity[warmUp - 1].equity
        #expect(summary.initial == start && summary.points == traded.count && summary.last == expected.finalEquity)
        var peak = start, worst = 0.0
        for point in traded {
            peak = max(peak, point.equity)
            worst = min(worst, point.equity.doubleValue / peak.doubleValue - 1)
        }
        #expect(summary.peak == peak && abs(summary.maxDrawdown - worst) < 1e-12 && worst < 0)
        #expect(abs(summary.totalReturn - (expected.finalEquity.doubleValue / start.doubleValue - 1)) < 1e-12)
    }

    /// The signaling-game strategy enters with brackets (market entry, take-profit limit, stop-loss
    /// stop): the broker holds the legs, the book links them to the broker's, and their fills are
    /// the backtest's fills, exits included. Each leg is stored once, as an order of the run.
    @Test func bracketOrdersTradeLikeTheBacktest() async throws {
        let exchange = await exchange()
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/bracket.sqlite")
        let parameters = ["min_prob_up": "0.5", "min_confidence": "0.02"]
        var settings = try settings(parameters)
        settings.strategy = "signaling-game"
        let session = try await TradingRuntime.start(settings: settings, broker: broker(InProcessTransport(exchange)), store: store, log: { _ in })
        let report = try await session.run(until: StopSignal())
        var configuration = BacktestConfiguration()
        configuration.tradingStart = Timestamp(nanoseconds: series.timestamps[warmUp])
        let expected = try StrategyRegistry.shared.backtest(strategy: "signaling-game", parameters: StrategyParameters(parameters), series: [series],
                                                    configuration: configuration)
        let legFills = expected.fills.filter { $0.clientOrderID.hasSuffix("-tp") || $0.clientOrderID.hasSuffix("-sl") }
        #expect(legFills.count > 5 && expected.fills.count > 20, "\(legFills.count) of \(expected.fills.count)")
        #expect(report.fills.count == expected.fills.count)
        #expect(report.fills.map(\.price) == expected.fills.map(\.price))
        #expect(report.fills.map(\.timestamp) == expected.fills.map(\.timestamp))
        #expect(report.fills.map(\.side) == expected.fills.map(\.side))
        #expect(report.fills.map(\.quantity) == expected.fills.map(\.quantity))
        #expect(report.equity == expected.finalEquity && report.brokerEquity == expected.finalEquity)
        #expect(report.decisionCounts == expected.decisionCounts, "\(report.decisionCounts) vs \(expected.decisionCounts)")
        let orders = try store.orders(runID: report.runID, tradingOnly: true)
        #expect(Set(orders.map(\.clientOrderID)).count == orders.count && orders.allSatisfy { $0.state == .acknowledged })
        let legs = orders.filter { $0.body.contains("leg_of") }
        #expect(legs.count == 2 * orders.filter { $0.body.contains("\"bracket\"") }.count && !legs.isEmpty)
        let fills = try store.fills(runID: report.runID, tradingOnly: true)
        #expect(fills.map(\.price) == expected.fills.map(\.price))
        #expect(fills.filter { $0.clientOrderID.hasSuffix("-tp") || $0.clientOrderID.hasSuffix("-sl") }.count == legFills.count)

        // Adapting min_prob_up to this history sees the backtest's closed round trips, each with the
        // probability its entry decision gave, whatever order (leg or market) closed it.
        var adapting = settings
        adapting.adaptThresholds = true
        let lines = LogLines()
        let adapted = try TradingRuntime.adaptedThresholds(adapting, store: store, log: { lines.append($0) })
        var trades: [ThresholdCalibration.Trade] = []
        for trip in expected.roundTrips {
            let entry = try #require(expected.fills.first { $0.timestamp == trip.entryTime && $0.side == (trip.direction == .long ? .buy : .sell) })
            let decision = try #require(expected.decisions.first { $0.orderID == entry.orderID })
            let pUp = try #require(decision.detail.split(separator: " ").first { $0.hasPrefix("p_up=") }.flatMap { Double($0.dropFirst(5)) })
            trades.append(.init(probability: trip.direction == .long ? pUp : 1 - pUp, won: trip.netPnL > .zero))
        }
        let wins = expected.roundTrips.filter { $0.netPnL > .zero }.map { $0.netPnL.doubleValue }
        let losses = expected.roundTrips.filter { $0.netPnL <= .zero }.map { -$0.netPnL.doubleValue }
        let averageWin = wins.reduce(0, +) / Double(wins.count), averageLoss = losses.reduce(0, +) / Double(losses.count)
        let independent = ThresholdCalibration().recommend(trades: trades, breakEven: averageLoss / (averageWin + averageLoss), current: 0.5)
        #expect(adapted.values["min_prob_up"] == String(independent.threshold), "\(adapted.values) vs \(independent.threshold)")
        #expect(lines.all.count == 1 && lines.all[0].hasPrefix("adapt_thresholds: min_prob_up 0.5 -> \(independent.threshold)"), "\(lines.all)")
        #expect(wins.count >= 5 && losses.count >= 5 && trades.count == expected.roundTrips.count)
    }

    /// The broker's calendar decides early closes where it speaks: a day it closes at 16:00 is regular
    /// though the rules say 13:00, an unusual 13:00 close counts, and days it does not cover follow the rules.
    @Test func endOfDayFollowsTheBrokersCalendar() async throws {
        let rules = EarlyCloses()
        let thanksgivingFriday = CivilDate(year: 2015, month: 11, day: 27), newYearsEve = CivilDate(year: 2015, month: 12, day: 31)
        #expect(rules.earlyClose(on: thanksgivingFriday) == 13 * 60 && rules.earlyClose(on: newYearsEve) == nil)
        let closes = TradingRuntime.closes(rules, calendar: [AlpacaCalendarDay(date: thanksgivingFriday, openMinute: 570, closeMinute: 960),
                                                              AlpacaCalendarDay(date: newYearsEve, openMinute: 570, closeMinute: 780)])
        #expect(closes.earlyClose(on: thanksgivingFriday) == nil && closes.earlyClose(on: newYearsEve) == 780)
        #expect(closes.earlyClose(on: CivilDate(year: 2016, month: 11, day: 25)) == 13 * 60)  // not in the calendar: the rules
        var plan = ExitPlan.EndOfDay()
        plan.earlyCloses = closes
        #expect(plan.flattenMinute(on: newYearsEve) == 780 - 7 && plan.flattenMinute(on: thanksgivingFriday) == 15 * 60 + 53)

        // A run with end-of-day flattening reads the exchange's calendar: its trading days from a week
        // back to a year ahead are this data's sessions in that window.
        let exchange = await exchange()
        var settings = try settings()
        settings.exits = ExitPlan(endOfDay: ExitPlan.EndOfDay())
        settings.maxBars = 3
        let lines = LogLines()
        let session = try await TradingRuntime.start(settings: settings, broker: broker(InProcessTransport(exchange)), store: nil,
                                                     log: { lines.append($0) })
        _ = try await session.run(until: StopSignal())
        let now = series.timestamps[warmUp - 1] / Timestamp.nanosPerDay
        let sessions = series.timestamps.filter { ($0 / Timestamp.nanosPerDay) >= now - 7 && ($0 / Timestamp.nanosPerDay) <= now + 366 }.count
        #expect(lines.all.contains { $0.hasPrefix("end-of-day: the broker's calendar has \(sessions) trading days") }, "\(lines.all)")
    }

    /// A bot that acts every 15 minutes on minute bars trades the same bars live as in its backtest.
    @Test func aScheduledBotTradesLikeItsBacktest() async throws {
        let expected = try await expectLiveEqualsBacktest(seed: 8) { $0.schedule = .everyMinutes(15, zone: .usEastern) }
        #expect(expected.fills.count > 10 && (expected.decisionCounts["held:off_schedule"] ?? 0) > 20, "\(expected.decisionCounts)")
    }

    /// Runs sma-cross 10/30 with the settings `configure` adds (exits, schedule) live against the
    /// exchange and as a backtest on the same 2,500 minute bars; expects the same fills, decisions and
    /// equity, and returns the backtest.
    func expectLiveEqualsBacktest(seed: UInt64 = 12, _ configure: (inout TradingSettings) -> Void) async throws -> BacktestResult {
        let minutes = SyntheticMarket.series(bars: 2_500, seed: seed, symbol: "SYN")
        let exchange = LocalExchange(series: [minutes], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: warmUp)
        var settings = TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "10", "slow": "30"]), symbols: ["SYN"],
                                       timeframe: try BarTimeframe("1Min"))
        settings.warmUpBars = warmUp
        settings.stepLocalClock = true
        configure(&settings)
        let session = try await TradingRuntime.start(settings: settings, broker: broker(InProcessTransport(exchange)), store: nil, log: { _ in })
        let report = try await session.run(until: StopSignal())
        var configuration = BacktestConfiguration()
        configuration.tradingStart = Timestamp(nanoseconds: minutes.timestamps[warmUp])
        configuration.exits = settings.exits
        configuration.schedule = settings.schedule
        let expected = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: settings.parameters, series: [minutes],
                                                    configuration: configuration)
        #expect(report.fills.map(\.price) == expected.fills.map(\.price) && report.fills.map(\.timestamp) == expected.fills.map(\.timestamp))
        #expect(report.fills.map(\.side) == expected.fills.map(\.side) && report.fills.map(\.quantity) == expected.fills.map(\.quantity))
        #expect(report.decisionCounts == expected.decisionCounts, "\(report.decisionCounts) vs \(expected.decisionCounts)")
        #expect(report.brokerEquity == expected.finalEquity)
        return expected
    }

    /// Resting stop-loss and take-profit (an OCO pair at the broker) and the strategy's own exits, which
    /// cancel them first: the backtest's fills, live.
    @Test func restingExitsTradeLikeTheBacktest() async throws {
        var plan = ExitPlan(stopLoss: .percent(0.002), takeProfit: .percent(0.003))
        plan.resting = true
        let expected = try await expectLiveEqualsBacktest { $0.exits = plan }
        let resting = expected.fills.filter { expected.orders[$0.orderID.value].type != .market }
        #expect(resting.count > 5 && expected.fills.count > 20, "\(resting.count) of \(expected.fills.count)")
    }

    /// A resting trailing stop moved up bar after bar (canceled and re-rested at the broker each
    /// time): the backtest's fills, live.
    @Test func restingTrailingStopsTradeLikeTheBacktest() async throws {
        var plan = ExitPlan(stopLoss: .percent(0.004), trailing: .percent(0.002))
        plan.resting = true
        let expected = try await expectLiveEqualsBacktest { $0.exits = plan }
        let stops = expected.orders.filter { $0.type == .stop }
        let entries = expected.fills.filter { $0.side == .buy }.count
        let stopFills = expected.fills.filter { expected.orders[$0.orderID.value].type == .stop }.count
        #expect(stops.count > 2 * entries && stopFills > 5, "\(stops.count) stops for \(entries) entries, \(stopFills) filled")
    }

    /// The scaled exit resting: each tier an OCO of its share (its limit, the stop) and the rest of the
    /// position under the stop, several groups on one position at the broker; re-rested after each
    /// tier fills. The backtest's fills, live.
    @Test func restingScaledTiersTradeLikeTheBacktest() async throws {
        var plan = ExitPlan(stopLoss: .percent(0.004), scaled: ExitPlan.Scaled())
        plan.resting = true
        let expected = try await expectLiveEqualsBacktest { $0.exits = plan }
        let tiers = expected.fills.filter { expected.orders[$0.orderID.value].type == .limit }
        let entries = expected.fills.filter { $0.side == .buy }
        #expect(tiers.count > 5 && tiers.allSatisfy { $0.quantity == Quantity(33) }, "\(tiers.count) tier fills")
        #expect(expected.orders.filter { $0.orderClass == .oco && $0.legRole == .takeProfit }.count >= 2 * entries.count)
    }

    /// bandit-sma's posteriors are saved at shutdown and resumed by the next run of the deployment:
    /// the second run continues from the first one's counts instead of Beta(1, 1).
    @Test func aBanditStrategyContinuesLearningAfterARestart() async throws {
        let exchange = await exchange()
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/bandit.sqlite")
        var settings = try settings(["arms": "3/10,5/20,10/30", "seed": "3"])
        settings.strategy = "bandit-sma"
        settings.maxBars = 700
        func learned() throws -> Double {
            let text = try #require(try store.loadState(TradingRuntime.strategyStateKey("bandit-sma")))
            let bandit = try JSONDecoder().decode(ThompsonBetaBandit.self, from: Data(text.utf8))
            return bandit.alpha.reduce(0, +) + bandit.beta.reduce(0, +) - 6  // outcomes seen beyond the Beta(1, 1) priors
        }
        let first = try await TradingRuntime.start(settings: settings, broker: broker(InProcessTransport(exchange)), store: store, log: { _ in })
        let firstReport = try await first.run(until: StopSignal())
        let afterFirst = try learned()
        let closedFirst = firstReport.fills.filter { $0.side == .sell }.count
        #expect(afterFirst == Double(closedFirst) && afterFirst > 3, "\(afterFirst) outcomes, \(closedFirst) exits")

        settings.maxBars = nil
        let lines = LogLines()
        let second = try await TradingRuntime.start(settings: settings, broker: broker(InProcessTransport(exchange)), store: store,
                                                    log: { lines.append($0) })
        let secondReport = try await second.run(until: StopSignal())
        #expect(lines.all.contains("resumed bandit-sma's learning from the store"))
        let exits = secondReport.fills.filter { $0.side == .sell }.count
        // Every exit of the second run adds an outcome, except one closing a position the first run opened.
        let afterSecond = try learned()
        #expect(afterSecond >= afterFirst + Double(exits - 1) && exits > 3, "\(afterSecond) after \(exits) more exits")
    }

    /// 15% of Alpaca requests fail (429, 500, responses lost after the exchange acted): the same fills,
    /// and every client order id reached the exchange once.
    @Test func networkFaultsChangeNoFill() async throws {
        let exchange = await exchange()
        let faulty = FaultInjectingTransport(InProcessTransport(exchange), rate: 0.15, seed: 9)
        let session = try await TradingRuntime.start(settings: try settings(), broker: broker(faulty, attempts: 12),
                                                     store: nil, log: { _ in })
        let report = try await session.run(until: StopSignal())
        let expected = try backtest()
        #expect(report.fills.map(\.price) == expected.fills.map(\.price) && report.fills.count == expected.fills.count)
        #expect(report.brokerEquity == expected.finalEquity)
        let updates = try await exchange.tradeUpdates.map(AlpacaTradeUpdate.decodeMessage)
        let filled = updates.filter { $0.event == .fill }.map(\.order.clientOrderID)
        #expect(filled.count == Set(filled).count && filled.count == report.ordersSent - report.canceledAtStop,
                "\(filled.count) \(report.ordersSent) \(report.canceledAtStop)")
        let injected = await faulty.injected
        #expect(FaultInjectingTransport.Fault.allCases.allSatisfy { (injected[$0] ?? 0) > 3 }, "\(injected)")
    }

    /// A dry run decides and logs but the exchange never sees an order.
    @Test func dryRunSendsNothing() async throws {
        let exchange = await exchange()
        var settings = try settings()
        settings.dryRun = true
        settings.maxBars = 400
        let lines = LogLines()
        let session = try await TradingRuntime.start(settings: settings, broker: broker(InProcessTransport(exchange)),
                                                     store: nil, log: { lines.append($0) })
        let report = try await session.run(until: StopSignal())
        #expect(report.liveBars == 400 && report.ordersSent == 0 && report.fills.isEmpty)
        #expect(try await exchange.tradeUpdates.isEmpty)
        #expect(lines.all.contains { $0.hasPrefix("dry run: would send SYN buy") })
        #expect((report.decisionCounts["submitted:open_long"] ?? 0) > 0)
    }
}

/// Log lines collected from the runtime's callback.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
