import PeregrineCore
import PeregrineModels

/// Monte Carlo robustness of a strategy's results: many alternative equity paths, each from one
/// seeded stream, summarized as distributions.
/// - `tradeBootstrap`: the round trips' net P&L drawn with replacement, as many as there were;
/// - `tradeShuffle`: the same round trips in a random order (final equity is fixed, the path is not);
/// - `blockBootstrap`: per-period returns resampled in blocks of geometric length with mean
///   `blockLength` (the stationary bootstrap of Politis and Romano), keeping short-range dependence;
/// - `gbm`: geometric Brownian motion paths with the returns' mean and volatility;
/// - `regimes`: regime-switching paths: a two-state Gaussian hidden Markov model fitted to the
///   returns (calm and turbulent, each with its mean and volatility, and the odds of switching),
///   simulated as a Markov chain of states each drawing its own normal returns.
/// Cost perturbation subtracts, from each drawn trade, a cost drawn uniformly between `costRange`
/// basis points of its entry notional (trade methods only).
public struct MonteCarloAnalysis: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case tradeBootstrap = "trades"
        case tradeShuffle = "shuffle"
        case blockBootstrap = "blocks"
        case gbm
        case regimes
    }

    public struct Settings: Sendable {
        public var method = Method.tradeBootstrap
        public var paths = 1_000
        public var seed: UInt64 = 0
        /// Ruin: equity at or below this share of the starting equity at any point.
        public var ruinLevel = 0.5
        public var blockLength = 20.0
        /// Extra cost per trade, in basis points of the trade's entry notional, drawn uniformly.
        public var costRange: ClosedRange<Double>?
        public var periodsPerYear = 252.0
        public init() {}
    }

    public struct Distribution: Sendable, Equatable {
        public var p5: Double, p25: Double, median: Double, p75: Double, p95: Double, mean: Double

        init(_ values: [Double]) {
            let sorted = values.filter(\.isFinite).sorted()
            func q(_ p: Double) -> Double {
                guard !sorted.isEmpty else { return .nan }
                let position = p * Double(sorted.count - 1)
                let lower = Int(position)
                let upper = min(lower + 1, sorted.count - 1)
                return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
            }
            p5 = q(0.05); p25 = q(0.25); median = q(0.5); p75 = q(0.75); p95 = q(0.95)
            mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
        }
    }

    public struct Report: Sendable {
        public var method: Method
        public var paths: Int
        public var finalEquity: Distribution
        public var annualReturn: Distribution
        public var maxDrawdown: Distribution
        /// Longest stretch below a previous peak, in steps (trades or periods).
        public var maxDrawdownDuration: Distribution
        public var probabilityOfRuin: Double
        /// Percentile bands of equity at each step: (p5, p25, median, p75, p95).
        public var bands: [(Double, Double, Double, Double, Double)]
    }

    public struct Trade: Sendable, Equatable {
        public var netPnL: Double
        public var entryNotional: Double
        public init(netPnL: Double, entryNotional: Double) {
            self.netPnL = netPnL
            self.entryNotional = entryNotional
        }
    }

    public let initialEquity: Double
    public let trades: [Trade]
    /// Per-period returns of the original run.
    public let returns: [Double]
    /// Length of the original run in years (trade methods annualize over it).
    public let years: Double

    public init(initialEquity: Double, trades: [Trade], returns: [Double], years: Double) {
        self.initialEquity = initialEquity
        self.trades = trades
        self.returns = returns
        self.years = years
    }

    /// The two-regime model of the returns, in percent per period (the HMM's variance floor is set
    /// for percent units), states ordered by mean; nil with too few returns.
    public func regimeModel(seed: UInt64) -> GaussianHiddenMarkovModel? {
        guard returns.count > 10 else { return nil }
        return GaussianHiddenMarkovModel.fit(returns.map { $0 * 100 }, states: 2, seed: seed).model
    }

    /// The equity paths of `settings` (each without the starting equity), from one seeded stream.
    public func samplePaths(_ settings: Settings) -> [[Double]] {
        var generator = SeededGenerator(seed: settings.seed)
        let regimes = settings.method == .regimes ? regimeModel(seed: settings.seed) : nil
        return (0..<settings.paths).map { _ in makePath(settings, regimes, &generator) }
    }

    public func run(_ settings: Settings) -> Report {
        var finals: [Double] = []
        var annuals: [Double] = []
        var drawdowns: [Double] = []
        var durations: [Double] = []
        var ruined = 0
        let paths = samplePaths(settings)
        for path in paths {
            var peak = initialEquity
            var worst = 0.0
            var under = 0
            var longest = 0
            var ruin = false
            for value in path {
                if value >= peak {
                    peak = value
                    under = 0
                } else {
                    under += 1
                    longest = max(longest, under)
                    worst = min(worst, value / peak - 1)
                }
                if value <= settings.ruinLevel * initialEquity { ruin = true }
            }
            let final = path.last ?? initialEquity
            let pathYears = settings.method == .blockBootstrap || settings.method == .gbm || settings.method == .regimes
                ? Double(path.count) / settings.periodsPerYear : years
            finals.append(final)
            annuals.append(final > 0 && pathYears > 0 ? Foundationless.pow(final / initialEquity, 1 / pathYears) - 1 : -1)
            drawdowns.append(worst)
            durations.append(Double(longest))
            if ruin { ruined += 1 }
        }
        let steps = paths.map(\.count).max() ?? 0
        var bands: [(Double, Double, Double, Double, Double)] = []
        for step in 0..<steps {
            let d = Distribution(paths.map { step < $0.count ? $0[step] : $0.last ?? initialEquity })
            bands.append((d.p5, d.p25, d.median, d.p75, d.p95))
        }
        return Report(method: settings.method, paths: settings.paths, finalEquity: Distribution(finals),
                      annualReturn: Distribution(annuals), maxDrawdown: Distribution(drawdowns),
                      maxDrawdownDuration: Distribution(durations),
                      probabilityOfRuin: Double(ruined) / Double(max(1, settings.paths)), bands: bands)
    }

    /// One equity path (the starting equity excluded).
    func makePath(_ settings: Settings, _ regimes: GaussianHiddenMarkovModel?, _ generator: inout SeededGenerator) -> [Double] {
        var equity = initialEquity
        func cost(_ trade: Trade) -> Double {
            guard let range = settings.costRange else { return 0 }
            let bps = range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUniform()
            return trade.entryNotional * bps / 10_000
        }
        switch settings.method {
        case .tradeBootstrap:
            guard !trades.isEmpty else { return [] }
            return (0..<trades.count).map { _ in
                let trade = trades[Int(generator.next() % UInt64(trades.count))]
                equity += trade.netPnL - cost(trade)
                return equity
            }
        case .tradeShuffle:
            var order = trades
            for k in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(k, Int(generator.next() % UInt64(k + 1)))
            }
            return order.map { trade in
                equity += trade.netPnL - cost(trade)
                return equity
            }
        case .blockBootstrap:
            guard !returns.isEmpty else { return [] }
            var path: [Double] = []
            path.reserveCapacity(returns.count)
            var index = Int(generator.next() % UInt64(returns.count))
            let restart = 1 / max(1, settings.blockLength)
            for _ in 0..<returns.count {
                if generator.nextUniform() < restart { index = Int(generator.next() % UInt64(returns.count)) }
                equity *= 1 + returns[index]
                path.append(equity)
                index = (index + 1) % returns.count
            }
            return path
        case .gbm:
            guard returns.count > 1 else { return [] }
            let mean = returns.reduce(0, +) / Double(returns.count)
            let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
            let p = settings.periodsPerYear
            // Per-period arithmetic mean and volatility, annualized for the simulator.
            let gbm = GeometricBrownianMotion(drift: mean * p, volatility: (variance * p).squareRoot(), step: 1 / p)
            return gbm.path(start: initialEquity, steps: returns.count, generator: &generator)
        case .regimes:
            guard let model = regimes else { return [] }
            func draw(_ weights: [Double]) -> Int {
                var u = generator.nextUniform()
                for (state, weight) in weights.enumerated() {
                    if u < weight { return state }
                    u -= weight
                }
                return weights.count - 1
            }
            var state = draw(model.initial)
            return (0..<returns.count).map { step in
                if step > 0 { state = draw(model.transition[state]) }
                let percent = model.means[state] + model.variances[state].squareRoot() * generator.nextNormal()
                equity *= max(0, 1 + percent / 100)
                return equity
            }
        }
    }
}
