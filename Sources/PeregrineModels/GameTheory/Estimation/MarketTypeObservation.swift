/// What the signal engine keeps of one bar for estimating the market types: the observables the
/// likelihood reads, the signal's kind, the regime, and the forecast the game starts from. Bars and
/// their outcomes are kept apart (`MarketTypeEstimator`), so an observation holds nothing from its future.
public struct MarketTypeObservation: Sendable, Equatable {
    /// The five observables the type likelihood reads, in `MarketTypeObservation.featureNames` order.
    public var features: [Double]
    public var kind: SignalKind
    /// The most likely HMM regime (0 bear, 1 sideways, 2 bull); nil while the regime model warms up.
    public var regime: Int?
    /// Expected log return of the next bar (the ensemble's first step).
    public var oneStepForecast: Double
    /// Standard deviation of the forecast's cumulative return over the horizon (σ_H).
    public var horizonVolatility: Double
    /// Log return over the last `horizon` bars (D): its sign is the move a signal follows or fades.
    public var recentMove: Double

    public init(features: [Double], kind: SignalKind, regime: Int?, oneStepForecast: Double, horizonVolatility: Double,
                recentMove: Double) {
        self.features = features
        self.kind = kind
        self.regime = regime
        self.oneStepForecast = oneStepForecast
        self.horizonVolatility = horizonVolatility
        self.recentMove = recentMove
    }

    /// Trend strength (fast EMA − slow EMA) / ATR, RSI level (RSI − 50) / 50 and Bollinger z are signed
    /// by the recent move (positive: they point the way the price moved); volatility of volatility and
    /// Bollinger bandwidth are unsigned.
    public static let featureNames = ["trend_strength", "volatility_of_volatility", "bandwidth", "rsi_level", "bollinger_z"]

    /// The direction of the recent move, +1 for a flat one.
    public var moveSign: Double { recentMove < 0 ? -1 : 1 }
}
