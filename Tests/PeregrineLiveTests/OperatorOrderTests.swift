import Foundation
import PeregrineAlpaca
import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineExchange
import PeregrineLive
import PeregrineStorage
import PeregrineTestSupport
import Testing

/// An order a person places by hand (a confirmed proposal) goes through the bot's own checks at its
/// next turn: filled like any order, refused while paused when it would open, and never for a
/// symbol the bot does not trade.
@Suite struct OperatorOrderTests {
    let keys = AlpacaCredentials(keyID: "PKOPS", secret: "operator-secret")

    /// Once the first order by hand is in the decision log, a pause and two more orders (an entry and
    /// an exit) for the next turn.
    final class Steering: DecisionSink {
        let control: BotControl
        var sent = false
        init(control: BotControl) { self.control = control }

        func record(_ items: [DecisionRecord]) throws {
            guard !sent, items.contains(where: { $0.decision.reason == .operatorOrder }) else { return }
            sent = true
            control.enqueue(.pause, requestedBy: "dana via test")
            control.enqueue(.order(OperatorOrder(symbol: "SYN", side: .buy, quantity: Quantity(3))), requestedBy: "dana via test")
            control.enqueue(.order(OperatorOrder(symbol: "SYN", side: .sell, quantity: Quantity(7))), requestedBy: "dana via test")
        }
    }

    @Test func anOrderByHandGoesThroughTheBotsChecks() async throws {
        let series = SyntheticMarket.series(bars: 200, seed: 3, interval: Timestamp.nanosPerDay, symbol: "SYN")
        let exchange = LocalExchange(series: [series], cash: Money(1_000_000), credentials: keys)
        await exchange.advance(bars: 30)
        let broker = AlpacaTradingClient(environment: .local("http://local"), credentials: keys, transport: InProcessTransport(exchange),
                                         retry: RetryPolicy(maxAttempts: 1), clock: { 0 }, sleep: { _ in })
        // Averages too long to cross within the run: every order comes from the person.
        var settings = TradingSettings(strategy: "sma-cross", parameters: StrategyParameters(["fast": "150", "slow": "190"]), symbols: ["SYN"],
                                       timeframe: try BarTimeframe("1Day"))
        settings.warmUpBars = 30
        settings.stepLocalClock = true
        settings.maxBars = 12
        let control = BotControl(name: "desk", settings: settings)
        settings.control = control
        let store = try TradingStore(path: TestPaths.temporaryFolder() + "/operator.sqlite")
        let steering = Steering(control: control)
        // Taken at the bot's first turn.
        control.enqueue(.order(OperatorOrder(symbol: "SYN", side: .buy, quantity: Quantity(7))), requestedBy: "dana via test")
        control.enqueue(.order(OperatorOrder(symbol: "XYZ", side: .buy, quantity: Quantity(1))), requestedBy: "dana via test")
        let session = try await TradingRuntime.start(settings: settings, broker: broker, store: store, decisionLog: steering, log: { _ in })
        let report = try await session.run(until: StopSignal())

        let decisions = try store.decisions(runID: report.runID!).filter { $0.detail.contains("asked by dana") || $0.reason == "paused" }
        #expect(decisions.map { "\($0.reason) \($0.outcome)" } == ["operator_order submitted", "paused rejected", "operator_order submitted"],
                "\(decisions.map { "\($0.reason) \($0.outcome) \($0.detail)" })")
        #expect(decisions.first?.detail == "buy 7 SYN at market, asked by dana via test")
        // The buy of 7 filled and the sell of 7 closed it; the paused buy of 3 never reached the broker.
        let fills = try store.fills(runID: report.runID)
        #expect(fills.map { "\($0.side) \($0.quantity)" } == ["buy 7", "sell 7"])
        let audit = try store.audit().reversed().map { "\($0.action) \($0.target) \($0.stage.rawValue)" }
        #expect(audit == ["submit_order SYN applied", "submit_order XYZ refused", "pause desk applied", "submit_order SYN refused",
                          "submit_order SYN applied"])
        #expect(try store.audit().contains { $0.detail == "this bot does not trade XYZ" })
        #expect(report.brokerEquity == report.equity)
    }
}
