import PeregrineCore
import PeregrineEngine
import PeregrineStrategies

/// What a strategy and its risk limits do when the market turns against them: the same strategy,
/// parameters, limits and costs as the baseline backtest, run on the history's deepest declines
/// (warmed up on the bars before, trading only inside), on the whole history with volatility
/// scaled, with gaps injected, and in a liquidity drought (volume cut, wider slippage, orders
/// capped to a share of each bar's volume).
public struct StressTest: Sendable {
    /// One scenario's figures.
    public struct Outcome: Sendable, Equatable {
        public var name: String
        public var detail: String
        public var bars: Int
        /// Buy-and-hold return of the instrument (of an equal-weight index of them, for a portfolio)
        /// over the same bars.
        public var marketReturn: Double
        public var totalReturn: Double
        public var maxDrawdown: Double
        public var roundTrips: Int
        public var fills: Int
        /// Orders refused (by the gate, the checks or the risk limits).
        public var rejections: Int
        public var finalEquity: Money
    }

    public var strategy: String
    public var parameters: StrategyParameters
    public var configuration: BacktestConfiguration
    public var declines = 3
    /// History before a decline that only warms the strategy up.
    public var warmUpBars = 100
    public var volatilityFactor = 2.0
    public var gapSize = 0.05
    public var gapEvery = 250
    public var volumeFactor = 0.1
    /// Slippage in the drought, in basis points.
    public var droughtSlippage = "25"
    /// Largest share of a bar's volume one order may take in the drought (when none is configured).
    public var droughtVolumeShare = "10"
    public var seed: UInt64 = 0

    public init(strategy: String, parameters: StrategyParameters, configuration: BacktestConfiguration) {
        self.strategy = strategy
        self.parameters = parameters
        self.configuration = configuration
    }

    public func run(_ series: BarSeries) throws(ConfigurationError) -> [Outcome] { try run([series]) }

    /// The scenarios for one instrument or several traded as one portfolio. For a portfolio the
    /// declines are those of an equal-weight index of its instruments (each at its close over its
    /// first close, carried over missing bars, from its first bar on), found on the merged time
    /// steps; each instrument's bars inside a decline's dates make the window; volatility, gaps
    /// (seeded per instrument) and volume are transformed instrument by instrument.
    public func run(_ series: [BarSeries]) throws(ConfigurationError) -> [Outcome] {
        guard !series.isEmpty else { throw ConfigurationError("stress needs at least one instrument") }
        let market = StressScenarios.equalWeightIndex(series)
        var outcomes = [try outcome("baseline", "the history as it was", series, market, 0..<market.timestamps.count, configuration)]
        for (rank, decline) in StressScenarios.deepestDeclines(market.index, count: declines).enumerated() {
            let from = max(0, decline.peak - warmUpBars)
            var warmed = configuration
            warmed.tradingStart = Timestamp(nanoseconds: market.timestamps[decline.peak])
            let range = from..<(decline.trough + 1)
            let detail = "\(Timestamp(nanoseconds: market.timestamps[decline.peak]).compactDescription) to "
                + "\(Timestamp(nanoseconds: market.timestamps[decline.trough]).compactDescription), "
                + (series.count == 1 ? "closes" : "the equal-weight index") + " down "
                + "\(Double(Int((decline.depth * 10_000).rounded())) / 100)%"
            outcomes.append(try outcome("decline \(rank + 1)", detail, series.slices(timeline: market.timestamps, range),
                                        market, range, warmed, tradedFrom: decline.peak - from))
        }
        let everything = 0..<market.timestamps.count
        let scaled = series.map { StressScenarios.scalingVolatility($0, by: volatilityFactor) }
        outcomes.append(try outcome("volatility x\(volatilityFactor)", "log returns scaled by \(volatilityFactor)",
                                    scaled, StressScenarios.equalWeightIndex(scaled), everything, configuration))
        // The first instrument's gaps use the seed itself, so one instrument's scenario does not change.
        let gapped = series.enumerated().map { k, s in StressScenarios.withGaps(s, every: gapEvery, size: gapSize, seed: seed &+ UInt64(k)) }
        let gappedSeries = gapped.map(\.series)
        outcomes.append(try outcome("gaps", "\(gapped.map(\.gaps.count).reduce(0, +)) gaps of \(gapSize * 100)% (every \(gapEvery) bars)",
                                    gappedSeries, StressScenarios.equalWeightIndex(gappedSeries), everything, configuration))
        var drought = configuration
        guard let slippage = Rate(basisPoints: droughtSlippage), let share = Rate(percent: droughtVolumeShare) else {
            throw ConfigurationError("drought slippage '\(droughtSlippage)' bps or volume share '\(droughtVolumeShare)'% is not a number")
        }
        drought.venue.slippage = .fixedBasisPoints(slippage)
        drought.venue.maxVolumeShare = drought.venue.maxVolumeShare ?? share
        outcomes.append(try outcome("liquidity drought", "volume x\(volumeFactor), slippage \(droughtSlippage) bps, "
                                    + "orders at most \(droughtVolumeShare)% of a bar's volume",
                                    series.map { StressScenarios.scalingVolume($0, by: volumeFactor) }, market, everything, drought))
        return outcomes
    }

    /// Runs one scenario on `series`; `market` and `range` (time steps of the market index) give the
    /// market's return over the traded part.
    private func outcome(_ name: String, _ detail: String, _ series: [BarSeries], _ market: StressScenarios.MarketIndex,
                         _ range: Range<Int>, _ configuration: BacktestConfiguration,
                         tradedFrom start: Int = 0) throws(ConfigurationError) -> Outcome {
        let result = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: parameters, series: series,
                                                  configuration: configuration)
        // Equity before the traded part is flat (warm-up); the drawdown is the traded part's.
        var peak = -Double.infinity, worst = 0.0
        for index in start..<result.equity.count {
            let value = result.equity.equity(at: index).doubleValue
            peak = max(peak, value)
            worst = min(worst, value / peak - 1)
        }
        let first = Double(market.index.closes[range.lowerBound + start]), last = Double(market.index.closes[range.upperBound - 1])
        let rejections = result.decisionCounts.filter { $0.key.hasPrefix("rejected:") }.map(\.value).reduce(0, +)
        return Outcome(name: name, detail: detail, bars: range.count - start, marketReturn: last / first - 1,
                       totalReturn: result.finalEquity.doubleValue / configuration.initialCash.doubleValue - 1,
                       maxDrawdown: worst, roundTrips: result.roundTrips.count, fills: result.fills.count,
                       rejections: rejections, finalEquity: result.finalEquity)
    }
}
