import PeregrineCore
import PeregrineData
import Testing

@Suite struct SyntheticMarketTests {
    @Test func barsAreConsistentInSessionAndDeterministic() {
        var options = SyntheticMarket.Options()
        options.bars = 50_000
        let a = SyntheticMarket(options: options).generate()
        let b = SyntheticMarket(options: options).generate()
        #expect(a.bars == b.bars)
        options.seed = 43
        #expect(SyntheticMarket(options: options).generate().closes != a.closes)
        let calendar = TradingCalendar.usEquity
        var previous = Int64.min
        var perDay: [Int64: Int] = [:]
        for k in 0..<a.count {
            let bar = a[k]
            #expect(bar.low <= min(bar.open, bar.close) && bar.high >= max(bar.open, bar.close) && bar.low.units > 0)
            #expect(bar.volume.units > 0)
            #expect(bar.timestamp.nanoseconds > previous)
            previous = bar.timestamp.nanoseconds
            let position = calendar.position(ofBarStarting: bar.timestamp, interval: Timestamp.nanosPerMinute)
            #expect(position.isInSession)
            let local = CivilDate(daysSinceEpoch: position.day)
            #expect(local.weekday != 0 && local.weekday != 6)
            perDay[position.day, default: 0] += 1
        }
        #expect(perDay.values.filter { $0 != 390 }.count <= 1)  // only a partial last day
        #expect(a[0].timestamp.iso8601 == "2015-01-02T14:30:00Z")
    }

    @Test func volatilityIsNearTheRequestedLevelWithoutRegimes() {
        var options = SyntheticMarket.Options()
        options.bars = 2_520
        options.interval = Timestamp.nanosPerDay
        options.regimes = false
        options.jumpsPerYear = 0
        options.volatility = 0.2
        options.tick = Price(units: 1)
        let series = SyntheticMarket(options: options).generate()
        var returns: [Double] = []
        for k in 1..<series.count { returns.append(Foundationless.log(Double(series.closes[k]) / Double(series.closes[k - 1]))) }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        let annual = (variance * 252).squareRoot()
        // Daily close-to-close adds the small overnight gap; within 10% of the target.
        #expect(abs(annual - 0.2) < 0.02, "annualized volatility \(annual)")
    }

    @Test func optionsParseAndRejectUnknownKeys() throws {
        let o = try SyntheticMarket.Options(specification: "bars=1_000,seed=7,interval=5min,price=50,symbol=XYZ")
        #expect(o.bars == 1000 && o.seed == 7 && o.interval == 5 * Timestamp.nanosPerMinute && o.symbol == "XYZ")
        #expect(throws: SyntheticMarketError.self) { try SyntheticMarket.Options(specification: "colour=blue") }
        #expect(throws: SyntheticMarketError.self) { try SyntheticMarket.Options(specification: "bars=-1") }
    }
}
