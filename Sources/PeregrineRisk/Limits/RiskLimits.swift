import PeregrineCore

/// Every limit of the risk layer with its default. A nil limit is off. Fractions are of current
/// equity unless said otherwise. `validate()` says what is wrong and what would be right.
public struct RiskLimits: Sendable, Equatable {
    /// Largest position in one instrument, as a share of equity.
    public var maxPositionFraction: Double? = 0.15
    public var maxOpenPositions: Int? = 20
    /// Sum of |position value| over equity.
    public var maxGrossExposure: Double? = 0.80
    /// |Sum of signed position values| over equity.
    public var maxNetExposure: Double? = 0.80
    /// |Dollar delta| over equity: shares plus option contracts x 100 x delta, at the underlyings'
    /// prices, summed with their signs. Off unless configured.
    public var maxPortfolioDelta: Double?
    /// |Vega| for one volatility point (0.01) over equity: option contracts x 100 x vega (per 1.00 of
    /// volatility) / 100, summed with their signs. Off unless configured.
    public var maxPortfolioVega: Double?
    /// Sum of open risk to the stops over equity; positions without a working stop count at
    /// `assumedStopDistance` of their value.
    public var maxPortfolioHeat: Double? = 0.06
    public var assumedStopDistance = 0.05
    /// Loss since the session's start over start-of-session equity; past it, only exits until the
    /// next session.
    public var dailyLossLimit: Double? = 0.03
    /// Drawdown from the equity peak; past it, flatten and halt until a person resumes.
    public var maxDrawdown: Double? = 0.20
    /// Positions whose recent return correlation exceeds `threshold` count together and may not
    /// exceed `maxCombinedWeight` of equity.
    public var correlation: CorrelationLimit? = CorrelationLimit()
    /// Off unless configured (`[risk.value_at_risk]`).
    public var valueAtRisk: ValueAtRiskLimit?
    /// Instruments that are one underlying for the contradictory-position check (by symbol).
    public var underlyingGroups: [[String]] = []
    public var refuseContradictoryPositions = true
    /// No new entry in a symbol for this long after it went flat (bars for daily data, time intraday).
    public var reentryCooldown: Cooldown? = .seconds(1800)
    /// After `stopOuts` stop-loss exits within `windowSeconds`, pause entries in the symbol for `pauseSeconds`.
    public var stoplossGuard: StoplossGuard? = StoplossGuard()
    /// After `after` consecutive losing round trips, entries are sized by `multiplier` until a winner.
    public var losingStreak: LosingStreak? = LosingStreak()
    /// Limit and stop prices within this share of the last price.
    public var priceBand: Double? = 0.10
    /// Notional of one order, in currency.
    public var minOrderNotional: Money? = nil
    public var maxOrderNotional: Money? = nil
    /// Orders submitted per rolling minute of market time.
    public var maxOrdersPerMinute: Int? = 200
    /// The strategy's own circuit breaker, tripped by its losing round trips; off unless configured.
    public var strategyBreaker: StrategyBreaker?

    public init() {}

    /// The defaults for bars of `barInterval` nanoseconds: the re-entry cooldown is 30 minutes on
    /// intraday bars and one bar on daily or longer bars (whose timestamps carry no time of day).
    public static func defaults(barInterval: Int64) -> RiskLimits {
        var limits = RiskLimits()
        if barInterval >= 86_400 * 1_000_000_000 { limits.reentryCooldown = .bars(1) }
        return limits
    }

    /// Every check off: the kernel behaves as with no risk layer.
    public static var none: RiskLimits {
        var limits = RiskLimits()
        limits.maxPositionFraction = nil
        limits.maxOpenPositions = nil
        limits.maxGrossExposure = nil
        limits.maxNetExposure = nil
        limits.maxPortfolioHeat = nil
        limits.dailyLossLimit = nil
        limits.maxDrawdown = nil
        limits.correlation = nil
        limits.refuseContradictoryPositions = false
        limits.reentryCooldown = nil
        limits.stoplossGuard = nil
        limits.losingStreak = nil
        limits.priceBand = nil
        limits.maxOrdersPerMinute = nil
        return limits
    }

    /// The portfolio's one-bar value at risk after an order, from the positions' returns over the
    /// last `window` bars: an order that would take the loss not exceeded with probability
    /// `confidence` past `maxFraction` of equity is refused. `method` estimates it historically (the
    /// default), parametrically or by Monte Carlo.
    public struct ValueAtRiskLimit: Sendable, Equatable {
        public var confidence = 0.95
        public var maxFraction = 0.02
        public var window = 250
        public var method = ValueAtRiskMethod.historical
        public init() {}
    }

    public struct CorrelationLimit: Sendable, Equatable {
        public var threshold = 0.8
        public var maxCombinedWeight = 0.30
        /// Returns used for the correlation.
        public var window = 60
        public init() {}
    }

    public enum Cooldown: Sendable, Equatable {
        case bars(Int)
        case seconds(Int64)
    }

    public struct StoplossGuard: Sendable, Equatable {
        public var stopOuts = 3
        public var windowSeconds: Int64 = 86_400 * 5
        public var pauseSeconds: Int64 = 86_400
        public init() {}
    }

    /// Consecutive losing round trips that make the strategy reducing-only (lifted at the next
    /// session) or halt it (until a person resumes it).
    public struct StrategyBreaker: Sendable, Equatable {
        public var reduceAfterLosses: Int? = 5
        public var haltAfterLosses: Int? = 10
        public init() {}
    }

    public struct LosingStreak: Sendable, Equatable {
        public var after = 10
        public var multiplier = 0.5
        public init() {}
    }

    /// Problems with the limits, each saying what would be right; empty when usable.
    public func validate() -> [String] {
        var problems: [String] = []
        func fraction(_ value: Double?, _ name: String, upTo top: Double = 10) {
            let bound = top == top.rounded() ? String(Int(top)) : String(top)
            if let value, !(value > 0 && value <= top) { problems.append("\(name) = \(value): must be in (0, \(bound)]") }
        }
        fraction(maxPositionFraction, "max_position", upTo: 10)
        if let breaker = strategyBreaker {
            if let reduce = breaker.reduceAfterLosses, reduce < 1 { problems.append("strategy_breaker.reduce_after_losses = \(reduce): must be 1 or more") }
            if let halt = breaker.haltAfterLosses, halt < 1 { problems.append("strategy_breaker.halt_after_losses = \(halt): must be 1 or more") }
            if let reduce = breaker.reduceAfterLosses, let halt = breaker.haltAfterLosses, halt <= reduce {
                problems.append("strategy_breaker: halt_after_losses (\(halt)) must be above reduce_after_losses (\(reduce))")
            }
        }
        fraction(maxGrossExposure, "max_gross_exposure")
        fraction(maxNetExposure, "max_net_exposure")
        fraction(maxPortfolioHeat, "max_portfolio_heat", upTo: 1)
        fraction(maxPortfolioDelta, "max_portfolio_delta")
        fraction(maxPortfolioVega, "max_portfolio_vega", upTo: 1)
        fraction(dailyLossLimit, "daily_loss_limit", upTo: 1)
        fraction(maxDrawdown, "max_drawdown", upTo: 1)
        fraction(priceBand, "price_band", upTo: 1)
        if !(assumedStopDistance > 0 && assumedStopDistance <= 1) {
            problems.append("assumed_stop_distance = \(assumedStopDistance): must be in (0, 1]")
        }
        if let maxOpenPositions, maxOpenPositions < 1 { problems.append("max_open_positions = \(maxOpenPositions): must be at least 1") }
        if let maxOrdersPerMinute, maxOrdersPerMinute < 1 {
            problems.append("max_orders_per_minute = \(maxOrdersPerMinute): must be at least 1")
        }
        if let c = correlation {
            if !(c.threshold > 0 && c.threshold < 1) { problems.append("correlation.threshold = \(c.threshold): must be in (0, 1)") }
            if !(c.maxCombinedWeight > 0 && c.maxCombinedWeight <= 10) {
                problems.append("correlation.max_combined_weight = \(c.maxCombinedWeight): must be in (0, 10]")
            }
            if c.window < 5 { problems.append("correlation.window = \(c.window): must be at least 5") }
        }
        if let s = losingStreak {
            if s.after < 1 { problems.append("losing_streak.after = \(s.after): must be at least 1") }
            if !(s.multiplier > 0 && s.multiplier <= 1) { problems.append("losing_streak.multiplier = \(s.multiplier): must be in (0, 1]") }
        }
        if let g = stoplossGuard, g.stopOuts < 1 || g.windowSeconds <= 0 || g.pauseSeconds <= 0 {
            problems.append("stoploss_guard: stop_outs >= 1 and positive window and pause are required")
        }
        if let low = minOrderNotional, let high = maxOrderNotional, low > high {
            problems.append("min_order_notional \(low.formatted()) is above max_order_notional \(high.formatted())")
        }
        return problems
    }
}
