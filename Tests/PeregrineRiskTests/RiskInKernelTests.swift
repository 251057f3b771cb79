import PeregrineCore
import PeregrineEngine
import PeregrineRisk
import PeregrineTestSupport
import Testing

@Suite struct RiskInKernelTests {
    /// Buys 9,000 shares at 100 on 1,000,000, then the price falls 30% over a few days: past the
    /// 20% drawdown limit the kill switch flattens the position at the next open and refuses new entries.
    @Test func killSwitchFlattensInsideABacktest() throws {
        let closes = ["100", "100", "95", "90", "85", "80", "77", "75", "74", "73", "72"]
        let bars = BarBuilder.flatDaily(closes)
        struct BuyAndKeepTrying: Strategy {
            mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
                context.signal(.buy, instrument, quantity: Quantity(9_000))
            }
        }
        var configuration = BacktestConfiguration()
        var limits = RiskLimits.none
        limits.maxDrawdown = 0.02  // 9,000 shares: a 1% move is 0.9% of equity
        configuration.risk = limits
        let result = BacktestEngine(series: [BarSeries(instrument: .usEquity("X"), bars: bars)], strategy: BuyAndKeepTrying(),
                                    configuration: configuration).run()
        // Entry at bar 1's open (100). Equity 1,000,000 - 9,000 * (100 - close): at close 95 the drawdown is 4.5%.
        #expect(result.fills.count == 2)
        #expect(result.fills[1].side == .sell && result.fills[1].timestamp == bars[3].timestamp)
        #expect(result.decisions.contains { $0.reason == .killSwitchFlatten })
        #expect((result.decisionCounts["rejected:kill_switch"] ?? 0) >= 5)
        #expect(result.account.position(InstrumentID(0)).isFlat)
    }

    @Test func riskOffLeavesResultsUnchanged() {
        let bars = BarBuilder.flatDaily((0..<60).map { String(100 + ($0 % 7)) })
        let series = BarSeries(instrument: .usEquity("X"), bars: bars)
        struct Alternate: Strategy {
            var k = 0
            mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
                k += 1
                context.signal(k % 3 == 0 ? .sell : .buy, instrument, quantity: Quantity(100))
            }
        }
        var none = BacktestConfiguration()
        none.risk = RiskLimits.none
        let plain = BacktestEngine(series: [series], strategy: Alternate()).run()
        let checked = BacktestEngine(series: [series], strategy: Alternate(), configuration: none).run()
        #expect(plain.fills == checked.fills && plain.finalEquity == checked.finalEquity)
    }
}
