import PeregrineCore
import PeregrineRisk

/// The event-driven kernel run over historical data: bars in time order across instruments go
/// through the `TradingKernel` against a `SimulatedVenue`, whose orders rest until a later bar.
/// Generic over the strategy, so the per-bar calls are direct.
public final class BacktestEngine<S: Strategy> {
    public var configuration: BacktestConfiguration { kernel.configuration }
    public var strategy: S { kernel.strategy }
    let feed: MarketFeed
    let kernel: TradingKernel<S, SimulatedVenue>
    var context: StrategyContext { kernel.context }

    public init(series: [BarSeries], strategy: S, configuration: BacktestConfiguration = BacktestConfiguration()) {
        precondition(!series.isEmpty, "a backtest needs at least one instrument")
        self.feed = MarketFeed(series: series)
        let intervals = series.map(\.typicalInterval)
        let venue = SimulatedVenue(instruments: series.map(\.instrument), configuration: configuration.venue,
                                   barIntervals: intervals)
        // The venue is this engine's alone and the kernel hands status changes only to a strategy
        // that observes them.
        venue.reportsOrderUpdates = S.observesOrderUpdates
        let equity = series.count == 1 ? EquityCurve(barTimestamps: series[0].timestamps, closes: series[0].closes)
            : EquityCurve(capacity: feed.barCount)
        let calendar = configuration.venue.calendar ?? series[0].instrument.assetClass.defaultCalendar
        let periodsPerYear = configuration.periodsPerYear
            ?? BacktestConfiguration.inferredPeriodsPerYear(interval: intervals[0], calendar: calendar)
        kernel = TradingKernel(series: series, strategy: strategy, venue: venue,
                               account: Account(cash: configuration.initialCash, instrumentCount: series.count),
                               configuration: configuration, equity: equity, periodsPerYear: periodsPerYear)
        kernel.context.state.optionPricing = OptionPricingModel(rate: configuration.optionRate)
        let records = Self.expectedRecords(bars: feed.barCount)
        venue.reserveOrders(records)
        kernel.reserveRecords(records)
        equity.reserveHoldings(records)
    }

    /// Orders, fills and decisions to make room for before a run: one per 16 bars, more than the
    /// one in 25 of an SMA 10/30 crossover on minute bars, and at most 2^20 (a universe of a
    /// billion bars does not ask for gigabytes of address space up front). A run with more grows its
    /// lists as before; a run with fewer leaves the rest unwritten, which costs address space but no
    /// memory.
    static func expectedRecords(bars: Int) -> Int { min(bars / 16 + 16, 1 << 20) }

    /// Runs over all bars once and returns the result.
    public func run() -> BacktestResult {
        kernel.start()
        kernel.replay(feed)
        kernel.finish()
        return kernel.result(bars: feed.barCount)
    }
}
