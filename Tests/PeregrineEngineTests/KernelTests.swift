import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

@Suite struct KernelTests {
    @Test func decisionGateFollowsThePositionTable() {
        let gate = DecisionGate(allowShort: false)
        let q = Quantity(10)
        func verdict(_ a: SignalAction, _ position: Int, pendingBuy: Int = 0, pendingSell: Int = 0) -> DecisionGate.Verdict {
            gate.evaluate(a, requested: q, position: Quantity(position), pendingBuy: Quantity(pendingBuy),
                          pendingSell: Quantity(pendingSell))
        }
        #expect(verdict(.buy, 0) == .order(side: .buy, quantity: q, reason: .openLong))
        #expect(verdict(.buy, 5) == .hold(reason: .alreadyLong))
        #expect(verdict(.sell, 7) == .order(side: .sell, quantity: Quantity(7), reason: .closeLong))
        if case .reject(let r) = verdict(.sell, 0) { #expect(r.code == .shortingDisabled) } else { Issue.record("expected rejection") }
        #expect(verdict(.hold, 0) == .hold(reason: .signalHold))
        #expect(verdict(.buy, 0, pendingBuy: 10) == .hold(reason: .buyPending))
        #expect(verdict(.sell, 7, pendingSell: 7) == .hold(reason: .sellPending))
        let shorting = DecisionGate(allowShort: true)
        #expect(shorting.evaluate(.sell, requested: q, position: .zero, pendingBuy: .zero, pendingSell: .zero)
            == .order(side: .sell, quantity: q, reason: .openShort))
        #expect(shorting.evaluate(.buy, requested: q, position: Quantity(-3), pendingBuy: .zero, pendingSell: .zero)
            == .order(side: .buy, quantity: Quantity(3), reason: .closeShort))
        #expect(shorting.evaluate(.sell, requested: q, position: Quantity(-3), pendingBuy: .zero, pendingSell: .zero)
            == .hold(reason: .alreadyShort))
    }

    @Test func everyDecisionIsRecordedWithItsReason() {
        let bars = BarBuilder.flatDaily(["10", "10", "10", "10"])
        let r = runScript(bars, [0: [.signal(.sell, Quantity(1)), .signal(.buy, Quantity(1)), .signal(.buy, Quantity(1))],
                                 1: [.signal(.buy, Quantity(1)), .signal(.hold, Quantity(1))],
                                 2: [.signal(.sell, Quantity(1))]])
        #expect(r.decisions.map(\.reason) == [.rejected(.shortingDisabled), .openLong, .buyPending, .alreadyLong,
                                              .signalHold, .closeLong])
        #expect(r.decisionCounts["rejected:shorting_disabled"] == 1)
        #expect(r.fills.count == 2)
    }

    @Test func buyingPowerIsChecked() {
        let bars = BarBuilder.flatDaily(["100", "100"])
        let r = runScript(bars, [0: [.signal(.buy, Quantity(20_000))]])  // 2,000,000 > 1,000,000 cash
        #expect(r.decisions.first?.reason == .rejected(.insufficientBuyingPower))
        #expect(r.fills.isEmpty)
    }

    @Test func instrumentsAreMergedInTimeOrder() {
        struct Recorder: Strategy {
            var seen: [(Int64, Int)] = []
            mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
                seen.append((bar.timestamp.nanoseconds, instrument.index))
            }
        }
        let a = BarSeries(instrument: .usEquity("A"), bars: BarBuilder.flatDaily(["1", "1", "1"], start: "2024-01-01"))
        let b = BarSeries(instrument: .usEquity("B"), bars: BarBuilder.flatDaily(["2", "2", "2"], start: "2024-01-02"))
        let engine = BacktestEngine(series: [a, b], strategy: Recorder())
        let result = engine.run()
        let seen = engine.strategy.seen
        #expect(seen.map(\.1) == [0, 0, 1, 0, 1, 1])
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.0 <= $1.0 })
        // One equity point per distinct timestamp.
        #expect(result.equity.count == 4)
    }

    @Test func runsAreDeterministicToTheByte() throws {
        func run(_ folder: String) throws {
            var options = SyntheticMarket.Options()
            options.bars = 20_000
            options.seed = 3
            let series = SyntheticMarket(options: options).generate()
            var configuration = BacktestConfiguration()
            configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
            configuration.venue.slippage = .fixedBasisPoints(Rate(basisPoints: "2")!)
            let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(["percent": "0.5"]),
                                                      series: [series], configuration: configuration)
            try BacktestReport(result: result, strategy: "sma-cross", parameters: ["percent": "0.5"], dataSources: ["synthetic"],
                               loadSeconds: 0, runSeconds: 0).write(to: folder)
        }
        let first = TestPaths.temporaryFolder()
        let second = TestPaths.temporaryFolder()
        try run(first)
        try run(second)
        for name in ["summary.json", "fills.csv", "trades.csv", "equity.csv", "orders.csv", "decisions.csv"] {
            let a = try String(contentsOfFile: first + "/" + name, encoding: .utf8)
            let b = try String(contentsOfFile: second + "/" + name, encoding: .utf8)
            #expect(a == b, "\(name) differs")
            #expect(a.count > 20)
        }
    }
}

import Foundation
