import PeregrineCore
import PeregrineData
@testable import PeregrineEngine
import PeregrineRisk
import PeregrineStrategies
import Testing

/// A single instrument's backtest keeps its equity curve as the cash and position held between
/// fills and values each point from its bar's close when read, and its statistics take a flat
/// stretch's returns of 0 as one run. Every figure read from it must equal the one of a curve that
/// stored every amount as the kernel worked it out, read point by point.
@Suite struct EquityCurveValuationTests {
    /// The same run twice: once as `BacktestEngine` builds it (valued from the closes), once with a
    /// curve that stores each amount.
    static func runBoth(_ series: BarSeries, configuration: BacktestConfiguration) -> (valued: BacktestResult, stored: BacktestResult) {
        let strategy = SMACrossStrategy(fast: 4, slow: 11, sizing: PositionSizing(base: .quantity(Quantity(250))))
        let valued = BacktestEngine(series: [series], strategy: strategy, configuration: configuration).run()
        let venue = SimulatedVenue(instruments: [series.instrument], configuration: configuration.venue,
                                   barIntervals: [series.typicalInterval])
        let kernel = TradingKernel(series: [series], strategy: strategy, venue: venue,
                                   account: Account(cash: configuration.initialCash, instrumentCount: 1),
                                   configuration: configuration, equity: EquityCurve(barTimestamps: series.timestamps),
                                   periodsPerYear: valued.periodsPerYear)
        kernel.start()
        kernel.replay(MarketFeed(series: [series]))
        kernel.finish()
        return (valued, kernel.result(bars: series.count))
    }

    @Test(arguments: [false, true]) func aValuedCurveReadsAsTheStoredOne(withRiskShortsAndExits: Bool) {
        var configuration = BacktestConfiguration()
        if withRiskShortsAndExits {
            configuration.allowShort = true
            configuration.risk = RiskLimits()
            configuration.venue.commission = .perShare(rate: Price("0.005")!, minimum: Money(1))
            configuration.exits = ExitPlan(stopLoss: .percent(0.004), takeProfit: .percent(0.008))
            configuration.riskFreeRate = 0.04  // the downside adds a term for every flat bar too
        }
        let (valued, stored) = Self.runBoth(QuietBarSkipTests.bars(seed: 11, count: 6_000), configuration: configuration)
        #expect(valued.equity.isValuedFromCloses)
        #expect(!stored.equity.isValuedFromCloses)
        #expect(valued.fills.count > 100)
        #expect(valued.equity.count == stored.equity.count)
        #expect(Array(valued.equity) == Array(stored.equity))
        for k in stride(from: 0, to: valued.equity.count, by: 97) { #expect(valued.equity[k] == stored.equity[k]) }
        #expect(valued.equity.periodReturns(initial: configuration.initialCash)
            == stored.equity.periodReturns(initial: configuration.initialCash))
        #expect(valued.equity.doubleValues() == stored.equity.doubleValues())
        #expect(valued.metrics == stored.metrics)
    }

    /// By hand: flat at 1,000, then 50 shares bought for 525, then a point that is not cash plus
    /// close times position (an option's value), after which the curve stores its amounts.
    @Test func holdingsAreValuedFromTheClosesUntilAnAmountIsNot() {
        let closes = ["10.5", "11", "12.25", "9", "9", "13"].map { Price($0)!.units }
        let times = (0..<6).map { Int64($0) * Timestamp.nanosPerMinute }
        let curve = EquityCurve(barTimestamps: times, closes: closes)
        let flat = Money(1_000), afterBuy = Money(475), shares = Quantity(50)
        curve.append(flat, cash: flat, quantity: .zero, close: closes[0])
        curve.append(flat, cash: flat, quantity: .zero, close: closes[1])
        curve.append(Money("1087.5")!, cash: afterBuy, quantity: shares, close: closes[2])
        curve.appendHolding(cash: afterBuy, quantity: shares, bars: 1)
        #expect(curve.isValuedFromCloses)
        curve.append(Money("930.125")!, at: times[4])  // 925 and an option worth 5.125
        #expect(!curve.isValuedFromCloses)
        curve.append(Money("1125")!, cash: afterBuy, quantity: shares, close: closes[5])
        let expected = ["1000", "1000", "1087.5", "925", "930.125", "1125"].map { Money($0)! }
        #expect(curve.map(\.equity) == expected)
        #expect((0..<6).map { curve.equity(at: $0) } == expected)
        #expect(curve.map(\.timestamp.nanoseconds) == times)
        let values: [Double] = [1000, 1000, 1087.5, 925, 930.125, 1125]
        var returns: [Double] = [0]
        for k in 1..<values.count { returns.append(values[k] / values[k - 1] - 1) }
        #expect(curve.periodReturns(initial: Money(1_000)) == returns)
    }

    /// The kernel hands the curve a close that is not the bar's (a point out of step with the bars):
    /// the curve stores that amount rather than value it from the wrong close.
    @Test func aCloseOutOfStepWithTheBarsIsStored() {
        let closes = [Price(10).units, Price(20).units]
        let curve = EquityCurve(barTimestamps: [0, 60], closes: closes)
        curve.append(Money(110), cash: Money(100), quantity: Quantity(1), close: closes[0])
        curve.append(Money(115), cash: Money(100), quantity: Quantity(1), close: Price(15).units)
        #expect(!curve.isValuedFromCloses)
        #expect(curve.map(\.equity) == [Money(110), Money(115)])
    }

    /// A holding keeps its position in 64 bits of units: a position past that (here 10 billion
    /// shares, by `append` and by `appendHolding`) makes the curve store its amounts, every one
    /// exactly as worked out by hand.
    @Test(arguments: [false, true]) func aPositionPast64BitsOfUnitsIsStored(byHolding: Bool) {
        let closes = [Price(2).units, Price(3).units, Price(5).units]
        let curve = EquityCurve(barTimestamps: [0, 60, 120], closes: closes)
        let huge = Quantity(10_000_000_000), cash = Money(-19_000_000_000)
        curve.append(Money(100), cash: Money(100), quantity: .zero, close: closes[0])
        if byHolding {
            curve.appendHolding(cash: cash, quantity: huge, bars: 2)
        } else {
            curve.append(Money(11_000_000_000), cash: cash, quantity: huge, close: closes[1])
            curve.append(Money(31_000_000_000), cash: cash, quantity: huge, close: closes[2])
        }
        #expect(!curve.isValuedFromCloses)
        #expect(curve.map(\.equity) == [Money(100), Money(11_000_000_000), Money(31_000_000_000)])
    }
}
