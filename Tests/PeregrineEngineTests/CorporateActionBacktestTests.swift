import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

/// Raw prices with the books adjusted (as a broker does) against prices adjusted backward: the same
/// holding, the same drawdown, no fake loss at a split; dividends and cash in lieu exact.
@Suite struct CorporateActionBacktestTests {
    func run(_ series: BarSeries, actions: [CorporateAction] = [], strategy: String = "buy-and-hold") throws -> BacktestResult {
        var configuration = BacktestConfiguration()
        configuration.corporateActions = actions
        return try StrategyRegistry.shared.backtest(strategy: strategy, parameters: StrategyParameters(), series: [series],
                                                    configuration: configuration)
    }

    /// Real raw AAPL rows across the 2:1 split of 2000-06-21, fractional shares (so lot rounding
    /// plays no part): the raw run with the split on its books and the split-adjusted run hold the
    /// same stake, so they end at the same equity to the nano-unit rounding of one order's size, and
    /// see the same drawdown. Without the action the raw run books a fake loss at the split (its drawdown 13 points deeper).
    @Test func rawBooksAndSplitAdjustedPricesAgree() throws {
        var raw = try BarCSVReader().read(path: TestPaths.fixture("aapl_daily_raw_2000.csv"), instrument: .usEquity("AAPL")).series
        raw.instrument.lotSize = Quantity(units: 1)
        let actions = try CorporateActionFile.read(path: TestPaths.fixture("aapl_lean_factor_file.csv"), symbol: "AAPL")
        let booked = try run(raw, actions: actions)
        let adjusted = try run(CorporateActionAdjuster.adjust(raw, actions: actions, mode: .splits))
        let unadjusted = try run(raw)
        #expect(booked.corporateActions.count == 1)
        let split = booked.corporateActions[0]
        #expect(split.positionAfter.units == split.positionBefore.units * 2 && split.cash == .zero)
        // One nano-share of difference in the first order, at the last price, is the most rounding can do.
        let tolerance = Price(units: raw.closes.last!).doubleValue * 2e-9 + 1e-9
        #expect(abs(booked.finalEquity.doubleValue - adjusted.finalEquity.doubleValue) <= tolerance,
                "\(booked.finalEquity) vs \(adjusted.finalEquity)")
        #expect(abs(booked.metrics.returns.maxDrawdown - adjusted.metrics.returns.maxDrawdown) < 1e-9)
        #expect(unadjusted.metrics.returns.maxDrawdown < booked.metrics.returns.maxDrawdown - 0.1)
        try BookCheck.reconcile(booked, corporateActionCash: booked.account.corporateActionCash)
    }

    /// Hand-worked books: 101 whole shares, a 0.50 dividend (cash +50.50), then a 3:2 split: 151.5
    /// shares, of which 0.5 is paid in cash at the post-split reference price (prior close 12 * 2/3 = 8).
    @Test func dividendsAndCashInLieuAreExact() throws {
        var series = BarSeries(instrument: .usEquity("X"))
        let closes = ["10", "10", "11", "12", "8.2", "8.4"]
        for (day, close) in closes.enumerated() {
            let price = Price(close)!
            series.append(Bar(timestamp: Timestamp(date: CivilDate(year: 2024, month: 3, day: 4 + day)), open: price,
                              high: price, low: price, close: price, volume: Quantity(1_000_000)))
        }
        let actions = [CorporateAction(symbol: "X", date: CivilDate(year: 2024, month: 3, day: 6), kind: .dividend(perShare: Price("0.5")!)),
                       CorporateAction(symbol: "X", date: CivilDate(year: 2024, month: 3, day: 8), kind: .split(numerator: 3, denominator: 2))]
        var configuration = BacktestConfiguration()
        configuration.corporateActions = actions
        configuration.initialCash = Money(1010)
        let result = try StrategyRegistry.shared.backtest(strategy: "buy-and-hold", parameters: StrategyParameters(["quantity": "101"]),
                                                          series: [series], configuration: configuration)
        // Bought 101 at the second bar's open (10): cash 0.
        #expect(result.fills.map(\.quantity) == [Quantity(101)])
        #expect(result.corporateActions.map(\.cash) == [Money("50.5")!, Money(4)])
        #expect(result.account.position(InstrumentID(0)).quantity == Quantity(151))
        #expect(result.account.cash == Money("54.5")!)
        // Equity: 54.5 cash + 151 * 8.4.
        #expect(result.finalEquity == Money("1322.9")!)
        // The cost (1010) stays with the shares: 0.5 of 151.5 sold at 8 realizes 4 - 1010 * 0.5 / 151.5.
        let realized = Money("50.5")! + Money(4) - Money(1010).proportion(Quantity("0.5")!, of: Quantity("151.5")!)
        #expect(result.account.realizedPnL == realized)
        #expect(result.finalEquity - result.account.initialCash == result.account.realizedPnL
                + result.account.unrealizedPnL(marks: result.finalMarks) - result.account.commissionsPaid)
        try BookCheck.reconcile(result, corporateActionCash: result.account.corporateActionCash)
    }

    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
    func wholeAppleHistoryHasNoFakeLossAtItsSplits() throws {
        let raw = try BarCSVReader().read(path: TestPaths.sharedFile("aapl_daily_unadjusted.csv"), instrument: .usEquity("AAPL")).series
        let actions = try CorporateActionFile.read(path: TestPaths.sharedFile("aapl_lean_factor_file.csv"), symbol: "AAPL")
        let booked = try run(raw, actions: actions)
        let adjusted = try run(CorporateActionAdjuster.adjust(raw, actions: actions, mode: .splits))
        #expect(booked.corporateActions.count == 39)
        // Whole shares: the stakes differ by less than one pre-split share's worth of 112 shares (2*2*7*4).
        let withoutDividends = booked.finalEquity - booked.account.corporateActionCash
        #expect(abs(withoutDividends.doubleValue / adjusted.finalEquity.doubleValue - 1) < 1e-4)
        #expect(abs(booked.metrics.returns.maxDrawdown - adjusted.metrics.returns.maxDrawdown) < 1e-6)
        #expect(booked.metrics.returns.maxDrawdown > -0.82)
        try BookCheck.reconcile(booked, corporateActionCash: booked.account.corporateActionCash)
    }
}
