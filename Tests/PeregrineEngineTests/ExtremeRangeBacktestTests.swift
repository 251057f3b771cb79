import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineStrategies
import PeregrineTestSupport
import PropertyBased
import Testing

/// Backtests at the edges of real markets: coins priced at a hundred-millionth and sized by share
/// of equity (positions in the trillions), prices up to a billion, accounts from one unit of cash to
/// a trillion. None traps; each run's books reconcile to the last unit, or the run is refused with
/// a message.
@Suite struct ExtremeRangeBacktestTests {
    /// The low-priced coin sized by half its equity: the run that used to stop the process.
    @Test func aLowPricedCoinSizedByEquityTradesAndReconciles() throws {
        let series = try SyntheticMarket(options: SyntheticMarket.Options(
            specification: "bars=2000,price=0.00002,tick=0.00000001,calendar=24x7")).generate()
        let result = try StrategyRegistry.shared.backtest(strategy: "sma-cross", parameters: StrategyParameters(["percent": "0.5"]),
                                                          series: [series], configuration: BacktestConfiguration())
        #expect(result.fills.count > 10)
        // Half of 100,000 at about 0.00002 is billions of coins.
        #expect(result.fills.map(\.quantity).max()! > Quantity(1_000_000_000))
        try BookCheck.reconcile(result)
    }

    @Test func extremePricesSizesAndCashNeverTrap() async {
        await propertyCheck(count: 60, input: Gen.int(in: -8...9), Gen.double(in: 0.01...1), Gen.int(in: 0...12), Gen.int(in: 0...1000)) {
            priceExponent, share, cashExponent, seed in
            var price = "1"
            if priceExponent < 0 { price = "0." + String(repeating: "0", count: -priceExponent - 1) + "1" }
            if priceExponent > 0 { price = "1" + String(repeating: "0", count: priceExponent) }
            let tick = priceExponent < -6 ? "0.000000001" : priceExponent < 0 ? "0.00000001" : "0.01"
            let specification = "bars=300,seed=\(seed),price=\(price),tick=\(tick),calendar=24x7,vol=0.9"
            var configuration = BacktestConfiguration()
            var cash = "1"
            for _ in 0..<cashExponent { cash += "0" }
            configuration.initialCash = Money(cash)!
            do {
                let series = try SyntheticMarket(options: SyntheticMarket.Options(specification: specification)).generate()
                let result = try StrategyRegistry.shared.backtest(
                    strategy: "sma-cross", parameters: StrategyParameters(["fast": "3", "slow": "9", "percent": String(share)]),
                    series: [series], configuration: configuration)
                try BookCheck.reconcile(result)
                #expect(result.finalEquity.isInRange)
            } catch let error as ConfigurationError {
                Issue.record("refused \(specification) with cash \(cash): \(error.message)")
            } catch {
                Issue.record("\(specification) with cash \(cash): \(error)")
            }
        }
    }

    /// A position marked at a price that runs beyond what the books hold stops the run with the bar,
    /// the position and the price named, never a trap and never a wrapped number.
    @Test func aMarkBeyondTheBooksRangeIsRefusedByName() throws {
        var series = BarSeries(instrument: .crypto("PEPE/USD"))
        let small = Price("0.000001")!.units
        for day in 0..<30 {
            let price = day < 20 ? small : Int64.max / 2
            series.append(timestamp: Int64(day) * Timestamp.nanosPerDay, open: price, high: price, low: price, close: price,
                          volume: Quantity(1_000_000_000_000).units * 1000)
        }
        var configuration = BacktestConfiguration()
        configuration.initialCash = Money(1_000_000_000)
        #expect {
            _ = try StrategyRegistry.shared.backtest(strategy: "buy-and-hold", parameters: StrategyParameters(),
                                                     series: [series], configuration: configuration)
        } throws: { error in
            let message = (error as? ConfigurationError)?.message ?? ""
            return message.contains("beyond the largest amount the books hold") && message.contains("PEPE/USD")
                && message.contains("1970-01-21")
        }
    }
}

/// Real data that drove the regime model's probabilities to NaN (a state's variance collapsing on
/// repeated returns): the strategy refits instead of stopping the process, and the books reconcile.
@Suite struct DegenerateModelTests {
    @Test(.enabled(if: TestPaths.sharedDataAvailable, Comment(rawValue: TestPaths.sharedDataMissing)))
    func theRegimeStrategySurvivesALostModel() throws {
        let series = try BarCSVReader().read(path: TestPaths.sharedFile("nvda_daily.csv"), instrument: .usEquity("NVDA")).series
        let result = try StrategyRegistry.shared.backtest(strategy: "hmm-regime", parameters: StrategyParameters(), series: [series],
                                                          configuration: BacktestConfiguration())
        #expect(result.roundTrips.count > 50)
        try BookCheck.reconcile(result)
    }
}
