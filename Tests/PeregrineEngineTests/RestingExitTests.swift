import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineIndicators
import PeregrineRisk
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// `[exits] resting`: the stop-loss and take-profit rest at the venue from the entry on and fill
/// inside a bar (or at a gapping open), where the close-based rules would wait or miss.
@Suite struct RestingExitTests {
    func plan(stop: Double? = 0.05, target: Double? = 0.08) -> ExitPlan {
        var plan = ExitPlan(stopLoss: stop.map { .percent($0) }, takeProfit: target.map { .percent($0) })
        plan.resting = true
        return plan
    }

    /// Buy signal on bar 0 fills at bar 1's open, 100. Stop 95, target 108, resting from then on.
    func run(_ bars: [Bar], _ plan: ExitPlan) -> BacktestResult {
        runScript(bars, [0: [.signal(.buy, Quantity(300))]]) { $0.exits = plan }
    }

    @Test func theStopFillsInsideTheBarAtItsLevel() {
        let bars = [
            BarBuilder.bar("2024-01-01", "100", "100", "100", "100"),
            BarBuilder.bar("2024-01-02", "100", "101", "99", "100"),
            BarBuilder.bar("2024-01-03", "99", "99.5", "94", "98"),  // trades through 95, closes above it
            BarBuilder.bar("2024-01-04", "98", "99", "97", "98"),
        ]
        let result = run(bars, plan())
        #expect(result.fills.map(\.price) == [Price(100), Price(95)] && result.fills[1].side == .sell)
        #expect(result.fills[1].timestamp == bars[2].timestamp)
        // The close-based rule would have held: the close, 98, is above the stop.
        var closeBased = plan()
        closeBased.resting = false
        #expect(run(bars, closeBased).fills.count == 1)
        // Its partner, the target, was canceled with it: nothing works after.
        #expect(result.orders.filter { $0.status.isWorking }.isEmpty)
        #expect(result.decisions.contains { $0.reason == .restingExit && $0.outcome == .submitted })
    }

    @Test func aGapThroughTheStopFillsAtTheOpenAndTheTargetAtItsLimit() {
        let gap = [
            BarBuilder.bar("2024-01-01", "100", "100", "100", "100"),
            BarBuilder.bar("2024-01-02", "100", "101", "99", "100"),
            BarBuilder.bar("2024-01-03", "90", "91", "89", "90"),
        ]
        #expect(run(gap, plan()).fills.map(\.price) == [Price(100), Price(90)])
        let up = [
            BarBuilder.bar("2024-01-01", "100", "100", "100", "100"),
            BarBuilder.bar("2024-01-02", "100", "101", "99", "100"),
            BarBuilder.bar("2024-01-03", "101", "109", "100", "102"),
        ]
        #expect(run(up, plan()).fills.map(\.price) == [Price(100), Price(108)])
        // Only a stop: a single stop order.
        let result = run(up, plan(target: nil))
        #expect(result.fills.count == 1 && result.orders.last?.type == .stop && result.orders.last?.stopPrice == Price(95))
    }

    /// A resting 5% trailing stop follows the best close up (95, 98.80, 104.50), is never loosened by a
    /// lower close, and fills inside the bar that trades through it, where the close-based rule would
    /// hold. With a 3% stop-loss too, the tighter of the two rests.
    @Test func aRestingTrailingStopRatchetsAndFillsInsideTheBar() {
        let bars = [
            BarBuilder.bar("2024-01-01", "100", "100", "100", "100"),
            BarBuilder.bar("2024-01-02", "100", "101", "99", "100"),
            BarBuilder.bar("2024-01-03", "100", "104.5", "99.5", "104"),
            BarBuilder.bar("2024-01-04", "104", "110.5", "103.5", "110"),
            BarBuilder.bar("2024-01-05", "110", "110", "107", "107"),  // lower close: the stop stays
            BarBuilder.bar("2024-01-06", "107", "108", "104", "108"),  // trades through 104.50, closes above
        ]
        var trailing = ExitPlan(trailing: .percent(0.05))
        trailing.resting = true
        let result = run(bars, trailing)
        #expect(result.orders.filter { $0.type == .stop }.map(\.stopPrice) == [Price(95), Price("98.80"), Price("104.50")])
        #expect(result.fills.map(\.price) == [Price(100), Price("104.50")!] && result.fills[1].timestamp == bars[5].timestamp)
        #expect(result.orders.filter { $0.status.isWorking }.isEmpty)
        var closeBased = trailing
        closeBased.resting = false
        #expect(run(bars, closeBased).fills.count == 1)
        var both = trailing
        both.stopLoss = .percent(0.03)
        #expect(run(bars, both).orders.filter { $0.type == .stop }.map(\.stopPrice) == [Price(97), Price("98.80"), Price("104.50")])
    }

    /// The scaled exit under resting: from the entry at 100 (stop 95, so R = 5) three pieces rest, each
    /// under the 95 stop: an OCO of 100 shares with a limit at 1R (105), one with a limit at 2R (110),
    /// and a stop for the last 100. The tiers fill inside the bars that trade through them (at 105 and
    /// 110, where the close-based rule sells at the next opens, 106 and 111); then the remainder's
    /// trail, best close − 1.5 ATR, rests as a stop and fills inside the bar that trades through it.
    /// The ATR is the indicator's own (checked against TA-Lib elsewhere), fed the same bars.
    @Test func theScaledExitsTiersAndRemainderRest() {
        let bars = [
            BarBuilder.bar("2024-01-01", "100", "100", "100", "100"),
            BarBuilder.bar("2024-01-02", "100", "101", "99", "100"),
            BarBuilder.bar("2024-01-03", "100", "106.5", "100", "104"),  // through 1R = 105, closes below it
            BarBuilder.bar("2024-01-04", "104", "111.5", "103.5", "109"),  // through 2R = 110, closes below it
            BarBuilder.bar("2024-01-05", "109", "112", "108.5", "111.5"),
            BarBuilder.bar("2024-01-08", "111.5", "112", "100", "101"),  // trades through the trail
        ]
        var plan = ExitPlan(stopLoss: .percent(0.05), scaled: ExitPlan.Scaled())
        plan.atrPeriod = 2
        plan.resting = true
        var atr = AverageTrueRange(period: 2)
        var range = 0.0
        for bar in bars[0...4] { range = atr.update(bar) ?? range }
        let level = Price(approximating: 111.5 - 1.5 * range).rounded(toTick: Price("0.01")!, up: false)
        #expect(level > Price(100) && level < Price(111), "trail \(level)")
        let result = run(bars, plan)
        #expect(result.fills.map(\.price) == [Price(100), Price(105), Price(110), level])
        #expect(result.fills.map(\.quantity) == [Quantity(300), Quantity(100), Quantity(100), Quantity(100)])
        #expect(result.fills.map(\.timestamp) == [bars[1], bars[2], bars[3], bars[5]].map(\.timestamp))
        // The first protection: two OCO pieces with their limits and the 95 stop, then the rest under the stop.
        let first = result.orders.filter { $0.submittedAt == bars[1].timestamp && $0.side == .sell }
        #expect(first.map(\.type) == [.limit, .stop, .limit, .stop, .stop], "\(first.map(\.type))")
        #expect(first.map { $0.limitPrice ?? $0.stopPrice! } == [Price(105), Price(95), Price(110), Price(95), Price(95)])
        #expect(first.map(\.quantity) == Array(repeating: Quantity(100), count: 5))
        #expect(result.orders.last { $0.type == .stop }?.stopPrice == level)
        #expect(result.orders.filter { $0.status.isWorking }.isEmpty)
        // Close-based, each tier waits for a close through it and sells at the next open (109, 111.5),
        // and the remainder's exit waits for a next open that this series does not have.
        var closeBased = plan
        closeBased.resting = false
        #expect(run(bars, closeBased).fills.map(\.price) == [Price(100), Price(109), Price("111.5")!])
    }

    /// A strategy trading with resting protection never exits twice: its own exits cancel the protection,
    /// the protection's fills end the position, and the position is only ever flat or one entry.
    @Test func theStrategysOwnExitsAndTheRestingOnesNeverDouble() throws {
        let series = SyntheticMarket.series(bars: 6_000, seed: 12, symbol: "SYN")
        var configuration = BacktestConfiguration()
        configuration.exits = plan(stop: 0.002, target: 0.003)
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(), series: [series],
                                                  configuration: configuration)
        var position = Quantity.zero
        for fill in result.fills {
            position += fill.side == .buy ? fill.quantity : -fill.quantity
            #expect(position == .zero || position == Quantity(100), "\(position) after \(fill.clientOrderID)")
        }
        let protectiveFills = result.fills.filter { fill in result.orders[fill.orderID.value].type != .market }
        #expect(protectiveFills.count > 10 && result.fills.count - protectiveFills.count > 20, "\(protectiveFills.count) of \(result.fills.count)")
        // The only refusals are the strategy's sell signals while already flat (the protection got there first).
        #expect(result.decisions.filter { $0.outcome == .rejected }.allSatisfy { $0.reason == .rejected(.shortingDisabled) && $0.action == .sell },
                "\(result.decisionCounts)")
    }
}
