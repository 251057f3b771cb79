import PeregrineCore
import PeregrineRisk

/// Everything a backtest needs besides data and strategy. Defaults are the honest ones.
public struct BacktestConfiguration: Equatable, Sendable {
    public var initialCash: Money = Money(1_000_000)
    public var venue = VenueConfiguration()
    public var allowShort = false
    /// 1 is a cash account.
    public var buyingPowerMultiple = 1
    /// Annual risk-free rate for Sharpe and Sortino.
    public var riskFreeRate = 0.0
    /// Periods per year for annualizing; inferred from the bar interval and calendar when `nil`.
    public var periodsPerYear: Double?
    /// Keep every decision (holds and rejections included), not only their counts.
    public var recordDecisions = true
    /// The pre-trade risk layer; nil runs without it.
    public var risk: RiskLimits?
    /// Exit rules applied to every open position (stops, targets, trailing, time, scaled, end of day).
    public var exits: ExitPlan?
    /// Name of the strategy, for its circuit breaker and reports.
    public var strategyName = "strategy"
    /// Bars before this time only warm the strategy up: its orders are refused as `warm_up`. Live
    /// trading warms up on history this way, and a backtest given the same time trades the same bars.
    public var tradingStart: Timestamp?
    /// When the strategy acts (nil: on every bar); its signals and orders on other bars are held as
    /// `off_schedule`, while exit rules and risk limits act on every bar.
    public var schedule: TradingSchedule?
    /// How entries are sized (the `[sizing]` table); nil keeps each strategy's own size.
    public var sizing: SizingPolicy?
    /// Splits and dividends applied to the books on their dates, as a broker does with raw prices
    /// (`--adjustment raw`): positions scale on a split, cash moves on an ex-date. Empty when the
    /// bars are adjusted instead, and in live trading, where the broker does it.
    public var corporateActions: [CorporateAction] = []
    /// The bar length in nanoseconds, when it is known rather than read off the bars (live trading's
    /// timeframe, where the warm-up may hold too few bars to tell); nil infers each instrument's.
    public var barInterval: Int64?
    /// Reviews entries before they are sent (`[veto]`, or recorded answers in a backtest); nil: none.
    public var entryReviewer: EntryReviewerHandle?
    /// The continuously compounded risk-free rate, per year, in the option model's prices
    /// (`OptionPricingModel`: at a positive rate a put carries its early-exercise premium).
    public var optionRate = 0.0
    /// The gross exposure limit shared by the bots of one account (live trading only); nil: none.
    public var accountExposure: AccountExposureHandle?

    public init() {}

    /// 252 sessions a year for daily bars (365 on a 24x7 calendar); intraday, bars per session times that.
    public static func inferredPeriodsPerYear(interval: Int64, calendar: TradingCalendar) -> Double {
        let days: Double = calendar == .continuous ? 365 : 252
        if interval >= Timestamp.nanosPerDay { return days }
        let sessionNanos = Int64(calendar.closeMinute - calendar.openMinute) * Timestamp.nanosPerMinute
        return days * max(1, (Double(sessionNanos) / Double(max(interval, 1))).rounded())
    }
}
