import PeregrineCore
import PeregrineIndicators

/// Turns one instrument's bars into `TradeSignal`s, bar by bar, using only the past.
///
/// Per bar: a Bayesian AR(1) on the last `arWindow` log returns and the grid Gaussian process on
/// the last `gpWindow` give forecasts of the next `horizon` returns, combined by precision into a
/// cumulative mean R and volatility σ and P(up). Market observables (trend strength, volatility
/// of volatility, Bollinger bandwidth, RSI extremity), standardized against their recent history,
/// give the market-type posterior. The proposed action (buy if P(up) > ½, sell if below) then
/// plays the signaling game, which keeps or drops it and sizes it.
///
/// Two forms of the game (`Settings.game`): `estimated` reads the signal's kind (follow, fade, hold)
/// with the observables in a likelihood whose type profiles, type persistence, damping and frictions
/// are estimated from the run's own labelled past (`MarketTypeEstimator`, refitted every
/// `estimationRefit` bars, once `estimationMinimum` bars are labelled: until then the fixed form
/// plays) and plays `EstimatedSignalingGame`; `fixed` is the earlier form: hand-set profiles
/// (`MarketTypeModel`) and payoffs (`SignalingGame`). `TradeSignal.form` says which form gave a signal.
public struct SignalEngine: Sendable {
    public enum GameForm: String, Sendable, CaseIterable {
        case estimated
        case fixed
    }

    public struct Settings: Sendable, Equatable {
        public var horizon = 5
        public var arWindow = 60
        public var gpWindow = 20
        public var standardizationWindow = 100
        /// Returns used to fit the 3-state regime HMM (0 turns the regime off), and how often it is refitted.
        public var regimeTraining = 252
        public var regimeRefit = 63
        public var game = GameForm.fixed
        /// The estimated form: labelled bars the profiles are estimated from (the last this many), the
        /// fewest it starts with, how often they are re-estimated, and δ, the per-step discount of x(t).
        public var estimationWindow = 1_000
        public var estimationMinimum = 250
        public var estimationRefit = 50
        public var discount = 0.95

        public init() {}
    }

    public let settings: Settings
    private let gp: GridGaussianProcessForecaster
    private let game = SignalingGame()
    private let typeModel = MarketTypeModel()
    /// The last `gpWindow` log returns, oldest first.
    private var returns: [Double] = []
    private var autoregression: RollingBayesianAutoregression
    private var closes: LagBuffer<Double>
    private var fastEMA = ExponentialMovingAverage(period: 12)
    private var slowEMA = ExponentialMovingAverage(period: 26)
    private var atr = AverageTrueRange(period: 14)
    private var bands = BollingerBands(period: 20, width: 2)
    private var rsi = RelativeStrengthIndex(period: 14)
    private var atrChanges: LagBuffer<Double>
    private var previousATR: Double?
    private var standardizers = Array(repeating: RollingStandardizer(window: 100), count: 6)
    private var regimeReturns: [Double] = []
    private var regime: GaussianHiddenMarkovModel?
    private var regimeFiltered: [Double]?
    private var barsSinceRegimeFit = 0
    private var posterior: [Double]?
    private var estimator: MarketTypeEstimator
    private var profiles: EstimatedTypeProfiles?
    private var barsSinceEstimate = 0
    private var estimatedPosterior: [Double]?

    public init(settings: Settings = Settings()) {
        self.settings = settings
        gp = try! GridGaussianProcessForecaster(window: settings.gpWindow, horizon: settings.horizon)
        returns.reserveCapacity(settings.gpWindow + 1)
        autoregression = RollingBayesianAutoregression(lags: 1, window: settings.arWindow)
        closes = LagBuffer(capacity: settings.horizon + 1, filler: 0)
        atrChanges = LagBuffer(capacity: 20, filler: 0)
        standardizers = Array(repeating: RollingStandardizer(window: settings.standardizationWindow), count: 6)
        estimator = MarketTypeEstimator(horizon: settings.horizon, window: settings.estimationWindow)
    }

    /// The type profiles the estimated form plays with now (nil before the first estimate).
    public var estimatedProfiles: EstimatedTypeProfiles? { profiles }

    /// Feeds a bar; returns a signal once every model has warmed up.
    public mutating func update(_ bar: Bar) -> TradeSignal? {
        let close = bar.close.doubleValue
        if closes.count > 0 {
            let r = Foundationless.log(close / closes[ago: 0])
            returns.append(r)
            if returns.count > settings.gpWindow { returns.removeFirst() }
            autoregression.update(r)
            updateRegime(100 * r)
        }
        closes.push(close)
        let fast = fastEMA.update(close)
        let slow = slowEMA.update(close)
        let range = atr.update(bar)
        let band = bands.update(bar.close)
        let strength = rsi.update(close)
        if let range, let previous = previousATR, previous > 0 { atrChanges.push(range / previous - 1) }
        previousATR = range
        if settings.game == .estimated { estimator.recordBar(close: close, high: bar.high.doubleValue, low: bar.low.doubleValue) }
        guard let fast, let slow, let range, range > 0, let band, let strength, returns.count == settings.gpWindow,
              autoregression.isReady,
              atrChanges.isFull, closes.isFull else { return nil }
        if settings.game == .estimated,
           let signal = estimatedSignal(close: close, fast: fast, slow: slow, range: range, band: band, strength: strength) {
            return signal
        }

        // Observables, standardized against their own recent history.
        let volOfVol = volatilityOfVolatility
        let sigma = (band.upper - band.middle) / 2
        let bollingerZ = sigma > 0 ? (close - band.middle) / sigma : 0
        let turbulence = regimeTurbulence.map { standardizers[5].standardize($0) }
        let types = typeModel.posterior(.init(trendStrength: standardizers[0].standardize(abs(fast - slow) / range),
                                              volatilityOfVolatility: standardizers[1].standardize(volOfVol),
                                              bandwidth: standardizers[2].standardize((band.upper - band.lower) / band.middle),
                                              rsiExtremity: standardizers[3].standardize(abs(strength - 50) / 50),
                                              bollingerStretch: standardizers[4].standardize(abs(bollingerZ)), turbulence: turbulence),
                                        previous: posterior)
        posterior = types

        let (path, ensemble) = forecast()
        let damping = MarketType.allCases.reduce(0.0) { $0 + types[$1.rawValue] * game.parameters[$1.rawValue].damping }
        let reversal = BayesianRSISignal.reversalProbability(rsi: strength)

        let probabilityUp = ensemble.probabilityUp
        var signal = TradeSignal(direction: .hold, confidence: 0, probabilityOfProfit: 0.5, probabilityUp: probabilityUp,
                                 expectedReturnPath: path.map { $0 * damping }, typePosterior: types, game: nil,
                                 regimeProbabilities: regimeFiltered, reversalProbability: reversal, bollingerZ: bollingerZ,
                                 reason: "no_edge", priceTarget: close * Foundationless.exp(ensemble.mean), kind: .hold, form: .fixed)
        guard probabilityUp != 0.5 else { return signal }
        let action: Double = probabilityUp > 0.5 ? 1 : -1
        let recentMove: Double = close >= closes[ago: settings.horizon] ? 1 : -1
        signal.kind = SignalKind(action: action, recentMove: recentMove)
        let outcome = game.play(action: action, forecastReturn: ensemble.mean, horizonVolatility: ensemble.variance.squareRoot(),
                                recentMove: recentMove, posterior: types)
        return Self.settle(signal, action: action, outcome: outcome, posterior: types)
    }

    /// The per-step expected return path (the mean of the autoregression's and the Gaussian process's
    /// steps) and the precision-weighted cumulative forecast over the horizon.
    private func forecast() -> (path: [Double], ensemble: ForecastEnsemble.Forecast) {
        let arPath = autoregression.forecast(horizon: settings.horizon)
        let gpSteps = gp.forecast(returns)
        var gpCumulative = 0.0
        var gpVariance = 0.0
        var path: [Double] = []
        for (step, gpStep) in gpSteps.enumerated() {
            gpCumulative += gpStep.mean
            gpVariance += gpStep.variance
            let arMean = step < arPath.count ? arPath[step].mean : gpStep.mean
            path.append((arMean + gpStep.mean) / 2)
        }
        let gpForecast = ForecastEnsemble.Forecast(mean: gpCumulative, variance: gpVariance)
        guard let last = arPath.last else { return (path, ForecastEnsemble.combine(gpForecast) ?? .init(mean: 0, variance: 1)) }
        let arForecast = ForecastEnsemble.Forecast(mean: arPath.reduce(0) { $0 + $1.mean }, variance: last.variance)
        return (path, ForecastEnsemble.combine(gpForecast, arForecast) ?? .init(mean: 0, variance: 1))
    }

    /// Sample standard deviation of the recent relative ATR changes (summed oldest first).
    private var volatilityOfVolatility: Double {
        let count = atrChanges.count
        var total = 0.0
        for ago in stride(from: count - 1, through: 0, by: -1) { total += atrChanges[ago: ago] }
        let meanChange = total / Double(count)
        var squares = 0.0
        for ago in stride(from: count - 1, through: 0, by: -1) {
            let deviation = atrChanges[ago: ago] - meanChange
            squares += deviation * deviation
        }
        return (squares / Double(count - 1)).squareRoot()
    }

    /// The estimated form's signal for the bar just fed (see the type's documentation): the observation
    /// is recorded for later estimates before the profiles are (re-)estimated, which only ever label
    /// bars whose horizon has passed. Nil until the first estimate: the fixed form plays meanwhile.
    private mutating func estimatedSignal(close: Double, fast: Double, slow: Double, range: Double, band: Channel,
                                          strength: Double) -> TradeSignal? {
        let (path, ensemble) = forecast()
        let recentMove = Foundationless.log(close / closes[ago: settings.horizon])
        let sign: Double = recentMove < 0 ? -1 : 1
        let sigma = (band.upper - band.middle) / 2
        let bollingerZ = sigma > 0 ? (close - band.middle) / sigma : 0
        let features = [sign * (fast - slow) / range, volatilityOfVolatility, (band.upper - band.lower) / band.middle,
                        sign * (strength - 50) / 50, sign * bollingerZ]
        let probabilityUp = ensemble.probabilityUp
        let action: Double = probabilityUp > 0.5 ? 1 : (probabilityUp < 0.5 ? -1 : 0)
        let kind = SignalKind(action: action, recentMove: recentMove)
        let horizonVolatility = ensemble.variance.squareRoot()
        let oneStep = path.first ?? 0
        let regimeState = regimeFiltered.flatMap { p in p.indices.max { p[$0] < p[$1] } }
        estimator.recordObservation(MarketTypeObservation(features: features, kind: kind, regime: regimeState, oneStepForecast: oneStep,
                                                          horizonVolatility: horizonVolatility, recentMove: recentMove))
        barsSinceEstimate += 1
        if profiles == nil || barsSinceEstimate >= settings.estimationRefit,
           let estimate = estimator.estimate(minimumSamples: settings.estimationMinimum) {
            profiles = estimate
            barsSinceEstimate = 0
        }
        guard let profiles else { return nil }
        let reversal = BayesianRSISignal.reversalProbability(rsi: strength)
        let types = profiles.posterior(features: features, kind: kind, previous: estimatedPosterior)
        estimatedPosterior = types
        var signal = TradeSignal(direction: .hold, confidence: 0, probabilityOfProfit: 0.5, probabilityUp: probabilityUp,
                                 expectedReturnPath: path, typePosterior: types, game: nil, regimeProbabilities: regimeFiltered,
                                 reversalProbability: reversal, bollingerZ: bollingerZ, reason: "no_edge",
                                 priceTarget: close * Foundationless.exp(ensemble.mean), kind: kind, form: .estimated)
        let game = EstimatedSignalingGame(profiles: profiles, horizon: settings.horizon, discount: settings.discount)
        signal.expectedReturnPath = (0..<path.count).map { step in
            MarketType.allCases.reduce(0.0) { total, type in
                let d = profiles.damping(type, regime: regimeFiltered)
                let phi = profiles.persistence(type, regime: regimeFiltered)
                return total + types[type.rawValue] * d * oneStep * Foundationless.pow(phi, Double(step))
            }
        }
        guard action != 0 else { return signal }
        let outcome = game.play(action: action, oneStepForecast: oneStep, target: ensemble.mean, horizonVolatility: horizonVolatility,
                                recentMove: sign, regime: regimeFiltered, posterior: types)
        return Self.settle(signal, action: action, outcome: outcome, posterior: types)
    }

    /// The signal after its game: a hold when no type survives, else the action with its probability of
    /// profit Φ(edge) and a confidence scaled by the surviving types' prior mass.
    private static func settle(_ signal: TradeSignal, action: Double, outcome: SignalingGame.Outcome, posterior types: [Double]) -> TradeSignal {
        var signal = signal
        signal.game = outcome
        guard outcome.isKept else {
            signal.reason = "intuitive_criterion_eliminated_all_types"
            return signal
        }
        let profit = NormalDistribution.cdf(outcome.expectedEdge)
        let survivingMass = outcome.survivors.reduce(0) { $0 + types[$1.rawValue] }
        signal.direction = action > 0 ? .buy : .sell
        signal.probabilityOfProfit = profit
        signal.confidence = min(1, max(0, 2 * (profit - 0.5) * survivingMass))
        signal.reason = keptReason(outcome.survivors)
        return signal
    }

    /// "kept_by_" and the surviving types joined by "+", in `MarketType` order.
    private static func keptReason(_ survivors: [MarketType]) -> String {
        var mask = 0
        var previous = -1
        for type in survivors {
            guard type.rawValue > previous else { return "kept_by_" + survivors.map(\.description).joined(separator: "+") }
            previous = type.rawValue
            mask |= 1 << type.rawValue
        }
        return keptReasons[mask]
    }

    /// Every `keptReason`, by the survivors' bit mask: built once rather than for every signal.
    private static let keptReasons: [String] = (0..<(1 << MarketType.allCases.count)).map { mask in
        "kept_by_" + MarketType.allCases.filter { mask & (1 << $0.rawValue) != 0 }.map(\.description).joined(separator: "+")
    }

    /// Fits the regime HMM on the trailing `regimeTraining` returns (in percent) when due, else
    /// advances its forward filter by one observation: only past data is ever used.
    private mutating func updateRegime(_ percentReturn: Double) {
        guard settings.regimeTraining > 0 else { return }
        regimeReturns.append(percentReturn)
        if regimeReturns.count > settings.regimeTraining { regimeReturns.removeFirst(regimeReturns.count - settings.regimeTraining) }
        if regime == nil || barsSinceRegimeFit >= settings.regimeRefit {
            guard regimeReturns.count == settings.regimeTraining else { return }
            // The first fit starts from scratch; later ones continue from the current model.
            let fit = regime?.refined(regimeReturns, maxIterations: 5)
                ?? GaussianHiddenMarkovModel.fit(regimeReturns, states: 3, seed: 0, restarts: 2, maxIterations: 50, tolerance: 1e-6)
            regime = fit.model
            regimeFiltered = fit.filtered
            barsSinceRegimeFit = 0
        } else if let model = regime {
            regimeFiltered = model.filterStep(previous: regimeFiltered, observation: percentReturn)
            barsSinceRegimeFit += 1
        }
    }

    /// Expected variance of the current regime over the average state variance.
    private var regimeTurbulence: Double? {
        guard let model = regime, let probabilities = regimeFiltered else { return nil }
        let average = model.variances.reduce(0, +) / Double(model.stateCount)
        return zip(probabilities, model.variances).reduce(0) { $0 + $1.0 * $1.1 } / average
    }
}
