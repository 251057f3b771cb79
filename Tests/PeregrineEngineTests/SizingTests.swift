import PeregrineCore
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import Testing

@Suite struct SizingTests {
    @Test func sizesByHand() {
        let lot = Quantity(1)
        let fixed = PositionSizing(base: .quantity(Quantity(100)))
        #expect(fixed.size(price: Price(50), equity: Money(10_000), lot: lot, barVolatility: nil, periodsPerYear: 252) == Quantity(100))
        // 50% of 10,000 at 33 = 151.5 -> 151 whole shares.
        let half = PositionSizing(base: .equityFraction(0.5))
        #expect(half.size(price: Price(33), equity: Money(10_000), lot: lot, barVolatility: nil, periodsPerYear: 252) == Quantity(151))
        // Target 10% a year with 1% a day realized (15.87% annualized over 252 days): 100 * 0.1 / 0.15875 = 62.99 -> 62.
        let target = PositionSizing(base: .quantity(Quantity(100)), volatilityTarget: 0.10)
        #expect(target.size(price: Price(10), equity: Money(1), lot: lot, barVolatility: 0.01, periodsPerYear: 252) == Quantity(62))
        // Calm market: 0.2% a day -> ratio 3.17, capped at max leverage 1 -> the base 100.
        #expect(target.size(price: Price(10), equity: Money(1), lot: lot, barVolatility: 0.002, periodsPerYear: 252) == Quantity(100))
        // No volatility estimate yet: no position.
        #expect(target.size(price: Price(10), equity: Money(1), lot: lot, barVolatility: nil, periodsPerYear: 252) == .zero)
        // Fractional lots for crypto.
        #expect(half.size(price: Price(30_000), equity: Money(10_000), lot: Quantity(units: 1), barVolatility: nil, periodsPerYear: 365)
            == Quantity("0.166666666")!)
    }

    @Test func smaCrossWithPercentOfEquityBuysThatShare() throws {
        // Zigzag closes that make an up-cross on bar 30 of a 1/3 window; equity 1,000,000, 10% -> 1,000 shares at 100.
        let closes = (0..<40).map { $0 < 30 ? "100" : "101" }
        var bars = BarBuilder.flatDaily(closes)
        bars[29] = BarBuilder.bar(bars[29].timestamp.utcDate.description, "99", "99", "99", "99")
        let series = BarSeries(instrument: .usEquity("X"), bars: bars)
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross",
                                                  parameters: StrategyParameters(["fast": "1", "slow": "3", "percent": "0.1"]),
                                                  series: [series], configuration: BacktestConfiguration())
        let buy = try #require(result.fills.first)
        // Signal on bar 30 (close 101 vs 99): 10% of 1,000,000 / 101 = 990.09 -> 990 shares, filled at bar 31's open.
        #expect(buy.quantity == Quantity(990))
        #expect(buy.timestamp == bars[31].timestamp)
    }
}
