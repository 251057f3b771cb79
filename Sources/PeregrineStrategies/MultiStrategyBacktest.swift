import PeregrineCore
import PeregrineEngine
import PeregrineRisk

/// Several built-in strategies backtested as one portfolio in one account (`MultiStrategyKernel`
/// over one `SimulatedVenue`): each sleeve by name and parameters, capital split and moved by the
/// allocator every `rebalanceEvery` bars.
public struct MultiStrategyBacktest {
    public struct Sleeve: Sendable {
        public var name: String
        public var strategy: String
        public var parameters: StrategyParameters

        public init(name: String, strategy: String, parameters: StrategyParameters) {
            self.name = name
            self.strategy = strategy
            self.parameters = parameters
        }

        /// `strategy[:key=value,key=value]`; the whole text names the sleeve.
        public init(parsing text: String) throws(ConfigurationError) {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard let strategy = parts.first, !strategy.isEmpty else {
                throw ConfigurationError("sleeve '\(text)': expected strategy[:key=value,...]")
            }
            let assignments = parts.count > 1 ? parts[1].split(separator: ",").map(String.init) : []
            do { self.init(name: text, strategy: strategy, parameters: try StrategyParameters(assignments: assignments)) } catch {
                throw ConfigurationError("sleeve '\(text)': \(error.message)")
            }
        }
    }

    public var sleeves: [Sleeve]
    public var rule: SleeveAllocator.Rule
    public var rebalanceEvery: Int
    /// Cash, venue, exits, risk limits and sizing; every sleeve gets the same, with its share of the
    /// cash. The risk limits' daily loss limit and drawdown kill switch also watch the whole account.
    public var configuration: BacktestConfiguration

    public init(sleeves: [Sleeve], rule: SleeveAllocator.Rule, rebalanceEvery: Int, configuration: BacktestConfiguration) {
        self.sleeves = sleeves
        self.rule = rule
        self.rebalanceEvery = rebalanceEvery
        self.configuration = configuration
    }

    /// Runs over `series`; `restored` continues an earlier run's meta-controller.
    public func run(series: [BarSeries], restored: ThompsonAllocator? = nil) throws(ConfigurationError) -> MultiStrategyResult {
        guard !series.isEmpty else { throw ConfigurationError("a portfolio backtest needs at least one instrument") }
        guard rebalanceEvery > 0 else { throw ConfigurationError("rebalance every 1 or more bars, got \(rebalanceEvery)") }
        let allocator: SleeveAllocator
        do { allocator = try SleeveAllocator(names: sleeves.map(\.name), rule: rule, restored: restored) } catch {
            throw ConfigurationError(error.description)
        }
        let feed = MarketFeed(series: series)
        let intervals = series.map(\.typicalInterval)
        let calendar = configuration.venue.calendar ?? series[0].instrument.assetClass.defaultCalendar
        let periodsPerYear = configuration.periodsPerYear
            ?? BacktestConfiguration.inferredPeriodsPerYear(interval: intervals[0], calendar: calendar)
        let venue = SimulatedVenue(instruments: series.map(\.instrument), configuration: configuration.venue, barIntervals: intervals)
        let kernel = MultiStrategyKernel(venue: venue, allocator: allocator, rebalanceEvery: rebalanceEvery,
                                         equity: EquityCurve(capacity: feed.barCount), periodsPerYear: periodsPerYear,
                                         accountLimits: configuration.risk)
        kernel.tradingStart = configuration.tradingStart?.nanoseconds
        let cash = kernel.initialCash(splitting: configuration.initialCash)
        for (k, sleeve) in sleeves.enumerated() {
            var sleeveConfiguration = configuration
            sleeveConfiguration.initialCash = cash[k]
            do {
                try StrategyRegistry.shared.build(strategy: sleeve.strategy, parameters: sleeve.parameters, periodsPerYear: periodsPerYear,
                                          configuration: sleeveConfiguration,
                                          visitor: SleeveAdder(kernel: kernel, series: series, capacity: feed.barCount))
            } catch { throw ConfigurationError("sleeve \(sleeve.name): \(error.message)") }
        }
        kernel.start()
        kernel.replay(feed)
        kernel.finish()
        if let failure = kernel.rangeFailure { throw ConfigurationError(failure) }
        return kernel.result(bars: feed.barCount)
    }
}

/// Adds a strategy built by name to a multi-strategy kernel, with its concrete type.
struct SleeveAdder<V: ExecutionVenue>: StrategyVisitor {
    let kernel: MultiStrategyKernel<V>
    let series: [BarSeries]
    let capacity: Int

    func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) {
        kernel.addSleeve(strategy: strategy, series: series,
                         account: Account(cash: configuration.initialCash, instrumentCount: series.count),
                         configuration: configuration, equity: EquityCurve(capacity: capacity))
    }
}
