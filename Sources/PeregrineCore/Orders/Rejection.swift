/// Why something was refused: a stable machine code for counting and a sentence for people.
public struct Rejection: Hashable, Sendable, Error, CustomStringConvertible {
    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// Stable reason codes; reports count rejections by these.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        case invalidQuantity = "invalid_quantity"
        case invalidPrice = "invalid_price"
        case invalidOrder = "invalid_order"
        case unsupportedTimeInForce = "unsupported_time_in_force"
        case unknownInstrument = "unknown_instrument"
        case shortingDisabled = "shorting_disabled"
        case insufficientBuyingPower = "insufficient_buying_power"
        case noPosition = "no_position"
        case duplicateClientOrderID = "duplicate_client_order_id"
        case unknownOrder = "unknown_order"
        case notCancelable = "not_cancelable"
        /// Before the trading start: the bar only warms the strategy up.
        case warmUp = "warm_up"
        /// The bot's schedule does not act on this bar.
        case offSchedule = "off_schedule"
        /// The broker refused the order or could not be reached.
        case brokerRejected = "broker_rejected"
        // Risk layer
        case killSwitch = "kill_switch"
        case circuitBreaker = "circuit_breaker"
        case dailyLossLimit = "daily_loss_limit"
        case maxPositionSize = "max_position_size"
        case maxOpenPositions = "max_open_positions"
        case grossExposure = "gross_exposure"
        case netExposure = "net_exposure"
        /// Dollar delta (options delta-adjusted) past `max_portfolio_delta`.
        case portfolioDelta = "portfolio_delta"
        /// Vega per volatility point past `max_portfolio_vega`.
        case portfolioVega = "portfolio_vega"
        case portfolioHeat = "portfolio_heat"
        case correlatedExposure = "correlated_exposure"
        case valueAtRisk = "value_at_risk"
        case contradictoryPosition = "contradictory_position"
        case reentryCooldown = "reentry_cooldown"
        case stoplossGuard = "stoploss_guard"
        case priceBand = "price_band"
        case orderNotional = "order_notional"
        case rateLimit = "rate_limit"
        /// A person paused the bot (the control API): no new entries; exits still run.
        case pausedByOperator = "paused"
        /// The veto model reviewed the entry and refused it (`[veto]`), with its reason.
        case vetoed
        /// The veto model did not answer usably (timeout, malformed answer, error, budget spent) and the
        /// policy is to refuse.
        case vetoUnavailable = "veto_unavailable"
        /// The gross exposure of all the bots of one account would pass `[account_risk] max_gross_exposure`.
        case accountExposure = "account_exposure"
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}
