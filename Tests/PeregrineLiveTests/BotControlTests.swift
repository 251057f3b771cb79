import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineLive
import PeregrineStorage
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// A person steering a running bot against the local exchange: pause stops entries at the next turn
/// while exits still run, resume lets it enter again, flatten closes the position at market.
@Suite struct BotControlTests {
    let keys = AlpacaCredentials(keyID: "PKCTL", secret: "control-secret")
    let series = SyntheticMarket.series(bars: 500, seed: 8, interval: Timestamp.nanosPerDay, symbol: "SYN")

    /// Steers the bot from its own decision stream, so each command lands at a known point: pause
    /// right after an entry, resume after three refused entries, flatten right after the next entry.
    final class Steering: DecisionSink {
        let control: BotControl
        var phase = 0
        var refusals = 0
        init(control: BotControl) { self.control = control }

        func record(_ items: [DecisionRecord]) throws {
            for item in items {
                let decision = item.decision
                switch phase {
                case 0 where decision.reason == .openLong && decision.outcome == .submitted:
                    control.enqueue(.pause, requestedBy: "alice via test")
                    phase = 1
                case 1 where decision.reason == .rejected(.pausedByOperator):
                    refusals += 1
                    if refusals == 3 {
                        control.enqueue(.resume, requestedBy: "alice via test")
                        phase = 2
                    }
                case 2 where decision.reason == .openLong && decision.outcome == .submitted:
                    phase = 3
                case 3:
                    // The bar after the entry: it has filled, and the flatten closes it at the next turn.
                    control.enqueue(.flatten(symbol: "SYN"), requestedBy: "bob via test")
                    phase = 4
                default: break
                }
            }
        }
    }

    @Test func pauseStopsEntriesButNotExitsAndFlattenClosesAtMarket() async throws {
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: 60)
        let broker = AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: InProcessTransport(exchange),
                                         retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
        var settings = TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "3", "slow": "8"]), symbols: ["SYN"],
                                       timeframe: try BarTimeframe("1Day"))
        settings.warmUpBars = 60
        settings.stepLocalClock = true
        let control = BotControl(name: "trend", settings: settings)
        settings.control = control
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/control.sqlite")
        let steering = Steering(control: control)
        let session = try await TradingRuntime.start(settings: settings, broker: broker, store: store, decisionLog: steering, log: { _ in })
        let report = try await session.run(until: StopSignal())
        #expect(steering.phase == 4 && control.status.state == .finished)

        let decisions = try store.decisions(runID: report.runID!)
        let entries = decisions.indices.filter { decisions[$0].reason == "open_long" && decisions[$0].outcome == "submitted" }
        let paused = decisions.indices.filter { decisions[$0].reason == "paused" }
        try #require(entries.count >= 2 && paused.count == 3)
        // Between the pause (after the first entry) and the resume (after the third refusal) nothing opened,
        // but the position was still closed by the strategy's own exit.
        let pauseWindow = (entries[0] + 1)...paused[2]
        #expect(!entries.contains { pauseWindow.contains($0) })
        #expect(decisions[pauseWindow].contains { $0.reason == "close_long" && $0.outcome == "submitted" })
        #expect(paused.allSatisfy { decisions[$0].outcome == "rejected" && decisions[$0].detail.contains("paused") })
        // After the resume it entered again; right after that entry, a flatten closed it at market.
        let reentry = try #require(entries.first { $0 > paused[2] })
        let flatten = try #require(decisions.firstIndex { $0.reason == "operator_flatten" })
        #expect(flatten > reentry && decisions[flatten].outcome == "submitted" && decisions[flatten].detail == "asked by bob via test")
        let fills = try store.fills(runID: report.runID)
        let flattenFill = try #require(fills.first { $0.timestamp > decisions[flatten].time })
        let entryFill = try #require(fills.last { $0.timestamp <= decisions[flatten].time })
        #expect(entryFill.side == .buy && flattenFill.side == .sell && flattenFill.quantity == entryFill.quantity)
        // The store keeps the broker's latest status of each order: every filled one says so, with an event.
        let orders = try store.orders(runID: report.runID)
        let filled = Set(fills.map(\.clientOrderID))
        let filledOrders = orders.filter { filled.contains($0.clientOrderID) }
        #expect(filledOrders.count == filled.count && filledOrders.allSatisfy { $0.status == "filled" }, "\(orders.map { $0.status ?? "-" })")
        #expect(try store.events(filledOrders[0].clientOrderID).map(\.event).suffix(1) == ["status"])
        // Every command is in the audit trail, applied, with who asked.
        let audit = try store.audit().reversed().map { "\($0.action) \($0.target) \($0.stage.rawValue) \($0.actor)" }
        #expect(audit == ["pause trend applied alice via test", "resume trend applied alice via test", "flatten SYN applied bob via test"])
        // The books still match the broker's account to the unit.
        #expect(report.brokerEquity == report.equity)
    }
}

@Suite struct BotPauseRestartTests {
    let keys = AlpacaCredentials(keyID: "PKPAU", secret: "pause-secret")

    @Test func aPausedBotIsStillPausedAfterARestartUntilResumed() async throws {
        let series = SyntheticMarket.series(bars: 400, seed: 8, interval: Timestamp.nanosPerDay, symbol: "SYN")
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: 60)
        let broker = AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: InProcessTransport(exchange),
                                         retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/pause.sqlite")
        func run(bars: Int, before: (BotControl) -> Void) async throws -> (BotControl, Int64) {
            var settings = TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "3", "slow": "8"]), symbols: ["SYN"],
                                           timeframe: try BarTimeframe("1Day"))
            settings.warmUpBars = 60
            settings.stepLocalClock = true
            settings.maxBars = bars
            let control = BotControl(name: "trend", settings: settings)
            settings.control = control
            before(control)
            let session = try await TradingRuntime.start(settings: settings, broker: broker, store: store, log: { _ in })
            let report = try await session.run(until: StopSignal())
            return (control, report.runID!)
        }
        // Paused at its first turn, then stopped.
        _ = try await run(bars: 5) { $0.enqueue(.pause, requestedBy: "alice") }
        // Restarted: still paused, so every entry it tries is refused as paused.
        let (_, second) = try await run(bars: 120) { _ in }
        let decisions = try store.decisions(runID: second)
        #expect(!decisions.contains { $0.reason == "open_long" && $0.outcome == "submitted" })
        #expect(decisions.filter { $0.reason == "paused" }.count > 3)
        // Resumed in a third run: it enters again.
        let (_, third) = try await run(bars: 120) { $0.enqueue(.resume, requestedBy: "alice") }
        #expect(try store.decisions(runID: third).contains { $0.reason == "open_long" && $0.outcome == "submitted" })
    }
}
