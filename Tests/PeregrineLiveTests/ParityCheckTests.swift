import PeregrineCore
@testable import PeregrineLive
import PeregrineStorage
import Testing

/// Pairing a bot's fills with its backtest's, on hand-made fills: what counts as the same, what is
/// left for the next check, what differs.
@Suite struct ParityCheckTests {
    func bar(_ minute: Int64, close: Int) -> RunBar {
        RunBar(bot: "trend", symbol: "AAA", timeframe: "1Min",
               bar: Bar(timestamp: Timestamp(seconds: minute * 60), open: Price(close), high: Price(close), low: Price(close),
                        close: Price(close), volume: Quantity(100)), warmUp: false)
    }

    func fill(_ minute: Int64, _ side: OrderSide, _ price: Int, symbol: String = "AAA") -> ParityReport.Fill {
        ParityReport.Fill(time: Timestamp(seconds: minute * 60), symbol: symbol, side: side, quantity: Quantity(10), price: Price(price),
                          commission: .zero)
    }

    /// A bot's fill on a bar whose turn has not stored it yet is neither a difference nor counted in the
    /// P&L: it waits for the next check, and the report says how many wait.
    @Test func aFillAfterTheLastStoredBarWaitsForTheNextCheck() throws {
        let bars = [bar(1, close: 100), bar(2, close: 104)]
        let live = [fill(2, .buy, 101), fill(3, .sell, 106)]
        let report = try ParityCheck.report(live: live, backtest: [fill(2, .buy, 101)], bars: bars, lastClose: ["AAA": Price(104)])
        #expect(report.isClean && report.matched == 1 && report.liveFills == 1 && report.pendingLiveFills == 1)
        // Held 10 bought at 101, marked at 104: 30 up, both ways.
        #expect(report.livePnL == Money(30) && report.backtestPnL == Money(30))

        // Once the bar is stored, the same fill is compared: here the backtest did not sell, so it differs.
        let later = try ParityCheck.report(live: live, backtest: [fill(2, .buy, 101)], bars: bars + [bar(3, close: 106)],
                                           lastClose: ["AAA": Price(106)])
        #expect(!later.isClean && later.pendingLiveFills == 0 && later.differences.map(\.kind) == [.liveOnly])
    }
}
