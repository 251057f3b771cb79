import PeregrineCore
import PeregrineData
import PeregrineEngine
import PeregrineTestSupport
import Testing

/// A strategy's coarser view of an instrument holds only periods that have closed by the end of
/// the current bar, with the values the offline resampler gives, in a backtest and bar by bar
/// through the kernel as live trading feeds it.
@Suite struct MultiTimeframeTests {
    /// What the strategy saw of the 1H view at one 1-minute bar.
    struct Sight: Equatable {
        var barStart: Int64
        var hourly: [Bar]
    }

    /// Reads the 1H view at every bar and keeps it.
    struct Watcher: Strategy {
        var timeframe = Timeframe.hours(1)
        var zone: ZoneRule?
        var sights: [Sight] = []
        mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
            let view = context.history(instrument, timeframe: timeframe, zone: zone)
            sights.append(Sight(barStart: bar.timestamp.nanoseconds, hourly: (0..<view.count).reversed().map { view[ago: $0] }))
        }
    }

    static let minute = Timestamp.nanosPerMinute
    static let hour = 60 * minute

    /// 1-minute bars from 09:00Z, a seeded walk with volumes past 64 bits now and then, leaving out
    /// the minutes in `missing`.
    static func minuteBars(count: Int, missing: Set<Int> = []) -> BarSeries {
        var random = SeededGenerator(seed: 3)
        let start = BarBuilder.bar(at: "2024-03-04T09:00", "1", "1", "1", "1").timestamp.nanoseconds
        var series = BarSeries(instrument: .usEquity("MTF"))
        var price: Int64 = 100 * Price.scale
        for k in 0..<count {
            let open = price
            price += (Int64(random.next() % 201) - 100) * 10_000_000
            let high = max(open, price) + Int64(random.next() % 30) * 10_000_000
            let low = min(open, price) - Int64(random.next() % 30) * 10_000_000
            let volume = k % 97 == 0 ? Quantity("9223372036.854775808")! : Quantity(Int(random.next() % 5_000) + 1)
            guard !missing.contains(k) else { continue }
            series.append(Bar(timestamp: Timestamp(nanoseconds: start + Int64(k) * minute), open: Price(units: open),
                              high: Price(units: high), low: Price(units: low), close: Price(units: price), volume: volume))
        }
        return series
    }

    func sight(at time: String, in sights: [Sight]) -> Sight {
        let t = BarBuilder.bar(at: time, "1", "1", "1", "1").timestamp.nanoseconds
        return sights.first { $0.barStart == t }!
    }

    /// On 1-minute bars from 09:00: at the bar stamped 10:58 (ending 10:59) the newest 1H bar is
    /// 09:00, and at the bar stamped 10:59 (ending 11:00) the 10:00 bar joins, equal to the offline
    /// resampler's. At every bar the view holds exactly the offline bars whose hour ended by then.
    @Test func aCoarserBarIsSeenOnlyOnceItsPeriodHasClosed() throws {
        let series = Self.minuteBars(count: 4 * 60)
        let engine = BacktestEngine(series: [series], strategy: Watcher())
        _ = engine.run()
        let sights = engine.strategy.sights
        let offline = try BarResampler(timeframe: .hours(1), zone: .rule(.usEastern)).resample(series, source: "minutes").bars
        #expect(offline.count == 4)

        let before = sight(at: "2024-03-04T10:58", in: sights)
        #expect(before.hourly.last?.timestamp.iso8601 == "2024-03-04T09:00:00Z")
        #expect(before.hourly == Array(offline.prefix(1)))
        let after = sight(at: "2024-03-04T10:59", in: sights)
        #expect(after.hourly.last?.timestamp.iso8601 == "2024-03-04T10:00:00Z")
        #expect(after.hourly == Array(offline.prefix(2)))
        // The 10:00 bar as the resampler gives it: 10:00's open, 10:59's close, the extremes and
        // the exact volume of the sixty minutes between.
        let minutes = series.bars[60..<120]
        #expect(after.hourly[1].open == minutes.first!.open && after.hourly[1].close == minutes.last!.close)
        #expect(after.hourly[1].high == minutes.map(\.high).max()! && after.hourly[1].low == minutes.map(\.low).min()!)
        #expect(after.hourly[1].volume == minutes.reduce(Quantity.zero) { $0 + $1.volume })

        for seen in sights {
            let end = seen.barStart + Self.minute
            let closed = offline.filter { $0.timestamp.nanoseconds + Self.hour <= end }
            #expect(seen.hourly == closed, "at \(Timestamp(nanoseconds: seen.barStart)): \(seen.hourly.count) bars, \(closed.count) closed")
        }
    }

    /// Without a 10:59 bar the 10:00 hour is known complete only at the next bar, 11:00: the view
    /// follows the instrument's own bars, never the clock alone.
    @Test func aMissingLastMinuteDelaysTheBarToTheNextBar() {
        let series = Self.minuteBars(count: 4 * 60, missing: [119])
        let engine = BacktestEngine(series: [series], strategy: Watcher())
        _ = engine.run()
        let sights = engine.strategy.sights
        #expect(sight(at: "2024-03-04T10:58", in: sights).hourly.count == 1)
        let next = sight(at: "2024-03-04T11:00", in: sights)
        #expect(next.hourly.count == 2 && next.hourly[1].timestamp.iso8601 == "2024-03-04T10:00:00Z")
        #expect(next.hourly[1].close == series.bars[118].close)
    }

    /// The kernel fed bar by bar, as live trading feeds it (no history, bars received one at a time,
    /// the bar length given by the timeframe), shows the strategy the same views as the backtest.
    @Test func barByBarAsLiveTradingSeesTheSameViews() {
        let series = Self.minuteBars(count: 3 * 60 + 17, missing: [5, 59, 61, 130])
        let backtest = BacktestEngine(series: [series], strategy: Watcher(timeframe: .minutes(15)))
        _ = backtest.run()

        var configuration = BacktestConfiguration()
        configuration.barInterval = Self.minute
        let empty = BarSeries(instrument: series.instrument)
        let venue = SimulatedVenue(instruments: [series.instrument], configuration: configuration.venue, barIntervals: [Self.minute])
        let kernel = TradingKernel(series: [empty], strategy: Watcher(timeframe: .minutes(15)), venue: venue,
                                   account: Account(cash: configuration.initialCash, instrumentCount: 1), configuration: configuration,
                                   equity: EquityCurve(capacity: series.count + 1), periodsPerYear: 252)
        kernel.start()
        for bar in series.bars {
            kernel.receive(bar, instrument: 0)
            kernel.closeStep(at: bar.timestamp.nanoseconds)
        }
        kernel.finish()
        #expect(kernel.strategy.sights.count == series.count)
        #expect(kernel.strategy.sights == backtest.strategy.sights)
        // At the last bar, 12:16 (ending 12:17), the thirteen quarters from 09:00 to 12:00 have closed.
        #expect(backtest.strategy.sights.last!.hourly.count == 13)
    }

    /// 4H periods on Berlin's clock, named by the strategy: 08:00, 12:00, 16:00 local, which in
    /// winter are 07:00Z, 11:00Z, 15:00Z. The 16:00 period of bars from 09:00Z to 18:59Z closes with
    /// the last bar, which ends at 19:00Z (20:00 local); the view then equals the offline resampler.
    @Test func aNamedZoneSetsThePeriods() throws {
        let series = Self.minuteBars(count: 10 * 60)
        let engine = BacktestEngine(series: [series], strategy: Watcher(timeframe: .hours(4), zone: .centralEurope))
        _ = engine.run()
        let offline = try BarResampler(timeframe: .hours(4), zone: .rule(.centralEurope)).resample(series, source: "minutes").bars
        #expect(offline.map(\.timestamp.iso8601) == ["2024-03-04T07:00:00Z", "2024-03-04T11:00:00Z", "2024-03-04T15:00:00Z"])
        #expect(sight(at: "2024-03-04T18:58", in: engine.strategy.sights).hourly == Array(offline.prefix(2)))
        #expect(engine.strategy.sights.last!.hourly == offline)
    }
}
