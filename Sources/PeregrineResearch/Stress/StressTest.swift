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
        /// Buy-and-hold return of the instrument over the same bars.
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

    public func run(_ series: BarSeries) throws(ConfigurationError) -> [Outcome] {
        var outcomes = [try outcome("baseline", "the history as it was", series, configuration)]
        for (rank, decline) in StressScenarios.deepestDeclines(series, count: declines).enumerated() {
            let from = max(0, decline.peak - warmUpBars)
            var warmed = configuration
            warmed.tradingStart = Timestamp(nanoseconds: series.timestamps[decline.peak])
            let window = series.slice(from..<(decline.trough + 1))
            let detail = "\(Timestamp(nanoseconds: series.timestamps[decline.peak]).compactDescription) to "
                + "\(Timestamp(nanoseconds: series.timestamps[decline.trough]).compactDescription), closes down "
                + "\(Double(Int((decline.depth * 10_000).rounded())) / 100)%"
            outcomes.append(try outcome("decline \(rank + 1)", detail, window, warmed, tradedFrom: decline.peak - from))
        }
        outcomes.append(try outcome("volatility x\(volatilityFactor)", "log returns scaled by \(volatilityFactor)",
                                    StressScenarios.scalingVolatility(series, by: volatilityFactor), configuration))
        let gapped = StressScenarios.withGaps(series, every: gapEvery, size: gapSize, seed: seed)
        outcomes.append(try outcome("gaps", "\(gapped.gaps.count) gaps of \(gapSize * 100)% (every \(gapEvery) bars)",
                                    gapped.series, configuration))
        var drought = configuration
        guard let slippage = Rate(basisPoints: droughtSlippage), let share = Rate(percent: droughtVolumeShare) else {
            throw ConfigurationError("drought slippage '\(droughtSlippage)' bps or volume share '\(droughtVolumeShare)'% is not a number")
        }
        drought.venue.slippage = .fixedBasisPoints(slippage)
        drought.venue.maxVolumeShare = drought.venue.maxVolumeShare ?? share
        outcomes.append(try outcome("liquidity drought", "volume x\(volumeFactor), slippage \(droughtSlippage) bps, "
                                    + "orders at most \(droughtVolumeShare)% of a bar's volume",
                                    StressScenarios.scalingVolume(series, by: volumeFactor), drought))
        return outcomes
    }

    private func outcome(_ name: String, _ detail: String, _ series: BarSeries, _ configuration: BacktestConfiguration,
                         tradedFrom start: Int = 0) throws(ConfigurationError) -> Outcome {
        let result = try StrategyRegistry.shared.backtest(strategy: strategy, parameters: parameters, series: [series],
                                                  configuration: configuration)
        // Equity before the traded part is flat (warm-up); the drawdown is the traded part's.
        var peak = -Double.infinity, worst = 0.0
        for index in start..<result.equity.count {
            let value = result.equity.equity(at: index).doubleValue
            peak = max(peak, value)
            worst = min(worst, value / peak - 1)
        }
        let first = Double(series.closes[start]), last = Double(series.closes[series.count - 1])
        let rejections = result.decisionCounts.filter { $0.key.hasPrefix("rejected:") }.map(\.value).reduce(0, +)
        return Outcome(name: name, detail: detail, bars: series.count - start, marketReturn: last / first - 1,
                       totalReturn: result.finalEquity.doubleValue / configuration.initialCash.doubleValue - 1,
                       maxDrawdown: worst, roundTrips: result.roundTrips.count, fills: result.fills.count,
                       rejections: rejections, finalEquity: result.finalEquity)
    }
}
