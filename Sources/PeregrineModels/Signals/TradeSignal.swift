/// What the signal engine says about one bar: an action with its confidence and probability of
/// profit, and everything that led there, so a decision log can explain it.
public struct TradeSignal: Sendable, Equatable {
    public enum Direction: String, Sendable {
        case buy
        case sell
        case hold
    }

    public var direction: Direction
    /// In [0, 1]: how decisive the kept signal is (0 for a hold).
    public var confidence: Double
    /// P(the action makes money over the horizon) under the filtered beliefs.
    public var probabilityOfProfit: Double
    /// P(next horizon's return > 0) from the forecast ensemble.
    public var probabilityUp: Double
    /// Expected return per step over the horizon, damped by the market-type beliefs.
    public var expectedReturnPath: [Double]
    /// Market-type posterior (trend, range, manipulator, exhausted) before filtering.
    public var typePosterior: [Double]
    public var game: SignalingGame.Outcome?
    /// HMM regime probabilities (bear, sideways, bull), forward-filtered; nil while the model warms up.
    public var regimeProbabilities: [Double]?
    public var reversalProbability: Double
    public var bollingerZ: Double
    /// Why this is a hold, or which action was kept.
    public var reason: String
    /// The price the forecast points to at the end of the horizon (the close times e^R).
    public var priceTarget: Double
    /// The proposed action read against the recent move (a hold when the forecast is flat).
    public var kind: SignalKind
    /// The game's form that gave the signal (the estimated form's engine plays the fixed one until its
    /// first estimate).
    public var form: SignalEngine.GameForm
}
