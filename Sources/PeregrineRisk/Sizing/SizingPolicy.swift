import PeregrineCore

/// How every entry is sized, whatever the strategy asked for: the `[sizing]` table. `strategy`
/// (the default) keeps the strategy's own size; the others replace it with a notional from the
/// equity at the signal and the price:
///
/// - `quantity`: a fixed number of units; `notional`: a fixed amount; `percent`: a share of equity;
/// - `fixed_fractional`: the notional whose loss at the stop is `risk_per_trade` of equity
///   (`stop_distance`, a fraction of the entry price);
/// - `volatility_target`: `percent` of equity scaled so the position's annualized volatility (from
///   the last `volatility_window` closes) is `volatility_target`, at most `max_leverage` times `percent`;
/// - `kelly`: from the closed trades so far, the win rate (Beta(1, 1) prior: (wins + 1)/(n + 2)) and
///   payoff (average winning return over average losing return), `kelly_fraction` of the Kelly bet
///   under log utility; under `target_hitting` utility, the fraction that most often reaches
///   `target` × equity before `ruin` × equity, from the trades' mean and spread of returns. Before
///   `min_trades` closed trades it uses `percent`.
///
/// Every notional is capped at `max_position` of equity.
public struct SizingPolicy: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        case strategy, quantity, notional, percent
        case fixedFractional = "fixed_fractional"
        case volatilityTarget = "volatility_target"
        case kelly
    }

    public var method = Method.strategy
    public var quantity = 100.0
    public var notional = 10_000.0
    public var percent = 0.1
    public var riskPerTrade = 0.01
    public var stopDistance = 0.02
    public var kellyFraction = 0.25
    public var utility = PositionSizer.Utility.logarithmic
    public var targetHitting = PositionSizer.TargetHitting()
    public var minTrades = 20
    public var maxPosition = 1.0
    public var volatilityTarget = 0.15
    public var volatilityWindow = 20
    public var maxLeverage = 1.0

    public init() {}

    /// Running figures of the closed trades' returns on entry, for Kelly and the utilities.
    public struct TradeStats: Sendable, Equatable {
        public private(set) var count = 0
        public private(set) var wins = 0
        private var winSum = 0.0
        private var lossSum = 0.0
        private var sum = 0.0
        private var squares = 0.0

        public init() {}

        public mutating func record(returnOnEntry r: Double) {
            guard r.isFinite else { return }
            count += 1
            sum += r
            squares += r * r
            if r > 0 { wins += 1; winSum += r } else { lossSum += -r }
        }

        /// (wins + 1) / (n + 2).
        public var winProbability: Double { Double(wins + 1) / Double(count + 2) }
        /// Average winning return over average losing return (nil without both).
        public var payoffRatio: Double? {
            let losses = count - wins
            guard wins > 0, losses > 0, lossSum > 0 else { return nil }
            return (winSum / Double(wins)) / (lossSum / Double(losses))
        }
        public var mean: Double { count > 0 ? sum / Double(count) : 0 }
        public var standardDeviation: Double {
            guard count > 1 else { return 0 }
            return max(0, (squares - sum * sum / Double(count)) / Double(count - 1)).squareRoot()
        }
    }

    /// The entry's size in units (before rounding to the lot), or nil to keep the strategy's.
    /// `annualVolatility` (of the instrument's returns) is needed by `volatility_target` only, which
    /// sizes to zero without it (too little history).
    public func units(equity: Double, price: Double, stats: TradeStats, annualVolatility: Double? = nil) -> Double? {
        guard price > 0, equity.isFinite else { return nil }
        let value: Double
        switch method {
        case .strategy: return nil
        case .quantity: value = quantity * price
        case .notional: value = notional
        case .percent: value = PositionSizer.percentOfEquity(equity, fraction: percent)
        case .fixedFractional:
            value = PositionSizer.fixedFractional(equity: equity, riskFraction: riskPerTrade, entry: price, stop: price * (1 - stopDistance))
        case .volatilityTarget:
            guard let annualVolatility, annualVolatility > 0 else { return 0 }
            value = PositionSizer.volatilityTarget(base: equity * percent, target: volatilityTarget, annualVolatility: annualVolatility,
                                                   maxLeverage: maxLeverage)
        case .kelly:
            value = equity * kellyShare(stats)
        }
        return min(value, equity * maxPosition) / price
    }

    /// The share of equity the Kelly method bets given the closed trades.
    public func kellyShare(_ stats: TradeStats) -> Double {
        guard stats.count >= minTrades else { return percent }
        switch utility {
        case .logarithmic:
            guard let payoff = stats.payoffRatio else { return stats.wins == stats.count ? percent : 0 }
            return PositionSizer.kelly(winProbability: stats.winProbability, payoffRatio: payoff, fraction: kellyFraction)
        case .targetHitting:
            return PositionSizer.fraction(utility: .targetHitting, mu: stats.mean, sigma: stats.standardDeviation, maxFraction: maxPosition,
                                          targetHitting: targetHitting)
        }
    }

    public var description: String {
        switch method {
        case .strategy: return "the strategy's own size"
        case .quantity: return "\(quantity) units"
        case .notional: return "\(notional) per entry"
        case .percent: return "\(percent * 100)% of equity"
        case .fixedFractional: return "\(riskPerTrade * 100)% of equity at risk to a stop \(stopDistance * 100)% away"
        case .volatilityTarget:
            return "\(percent * 100)% of equity scaled to \(volatilityTarget * 100)% annual volatility over \(volatilityWindow) bars (at most \(maxLeverage)x)"
        case .kelly:
            return utility == .logarithmic ? "\(kellyFraction) Kelly from the closed trades (\(percent * 100)% before \(minTrades))"
                : "target-hitting (\(targetHitting.target)x before \(targetHitting.ruin)x) from the closed trades (\(percent * 100)% before \(minTrades))"
        }
    }
}
