import PeregrineAlpaca
import PeregrineCore
import PeregrineEngine
import PeregrineRisk
import PeregrineStrategies

/// What one trading run does: which strategy on which symbols and bars, how it warms up, and how
/// careful it is. Risk limits and exit rules are the very ones a backtest takes.
public struct TradingSettings: Sendable {
    public var strategy: String
    public var parameters: StrategyParameters
    public var symbols: [String]
    public var timeframe: BarTimeframe
    /// History bars per symbol fed to the strategy before trading (indicators warm up; no orders).
    public var warmUpBars = 200
    /// Bars per symbol kept in memory while trading, for strategies that look back over their history
    /// (never fewer than `warmUpBars`), and equity points as far. Older ones are in the store only,
    /// so a bot running for months stays flat in memory.
    public var historyBars = 5_000
    /// Fills, closed trips, stored decisions and settled orders kept in memory (the store has all).
    public var historyRecords = LiveRetention.defaultRecords
    /// What the kernel keeps of its past: `historyBars`, at least the warm-up, and `historyRecords`.
    public var retention: LiveRetention { LiveRetention(window: max(historyBars, warmUpBars, 1), records: historyRecords) }
    /// Decide and log, but send nothing.
    public var dryRun = false
    /// Stop after this many new bars (all symbols together); nil runs until stopped.
    public var maxBars: Int?
    /// Seconds between polls for new bars and order updates.
    public var pollSeconds = 5.0
    /// Against the local exchange with a manual clock: replay the next bar as soon as the last one
    /// was handled, so a simulation runs as fast as the strategy decides.
    public var stepLocalClock = false
    /// With keys: hear of fills over the trading stream (`trade_updates`) instead of asking about each
    /// working order every turn. Orders wait while the stream is down; after each (re)connection the working
    /// orders are caught up over REST. Not with `stepLocalClock`, whose turns must see each fill before
    /// the next bar, which only asking guarantees.
    public var tradeStreamKeys: AlpacaCredentials?
    /// The account's one trading stream, shared by the bots of one process (`peregrine run`); when set,
    /// the bot listens to it instead of opening its own.
    public var sharedTradeStream: SharedTradeStream?
    /// With trade-stream keys: the market-data feed (iex or sip) whose bar stream wakes the session as
    /// soon as a bar is published, instead of at the next poll. The bars themselves are still read
    /// over REST, so a message lost while the stream is down loses no bar.
    public var barStreamFeed: String?
    /// The key's one market-data stream, shared by the bots of one process (`peregrine run`): its bars
    /// of this bot's symbols wake the bot, in place of a stream of its own. It also paces a stepped
    /// simulation: after each step the bot waits (up to `pollSeconds`) for the step's bar to arrive on it.
    public var sharedBarStream: SharedMarketDataStream?
    /// The gross exposure limit shared with the other bots of the account (`[account_risk]
    /// max_gross_exposure`); nil: this bot's own limits only.
    public var accountExposure: AccountExposure?
    /// The configuration document the settings were read from, kept with the run (nil: none).
    public var configurationDocument: String?
    /// Trade even when start-up reconciliation found a mismatch (reported either way).
    public var allowMismatch = false
    /// On shutdown, cancel this run's working orders (otherwise they are left at the broker).
    public var cancelOpenOrdersOnStop = true
    /// When the bot acts (nil: every bar); the same schedule in a backtest trades the same bars.
    public var schedule: TradingSchedule?
    public var risk: RiskLimits?
    public var exits: ExitPlan?
    /// Entry sizing in place of the strategy's own (the `[sizing]` table).
    public var sizing: SizingPolicy?
    /// Splits and dividends the bot's books apply on their dates, as the broker applies them to the
    /// account (`[trade] corporate_actions`); empty: none.
    public var corporateActions: [CorporateAction] = []
    /// Where to die on purpose (crash tests only); empty in normal use.
    public var crashPoints = CrashPoints()
    /// Allow short positions (the strategy may also ask for it through its parameters).
    public var allowShort = false
    /// signaling-game: at start, set `min_prob_up` from the closed trades in the store
    /// (`SignalThresholdAdaptation`), moving it at most 0.05 from the configured value.
    public var adaptThresholds = false
    /// With `stepLocalClock` and several bots on one exchange: the clock moves when all have handled
    /// their bars (nil: this bot moves it alone).
    public var stepBarrier: LocalClockBarrier?
    /// Commands from a person (the control API) and the bot's published state; nil: not steerable.
    public var control: BotControl?
    /// Reviews entries before they are sent (the `[veto]` model); nil: none.
    public var entryReviewer: EntryReviewerHandle?
    /// Several strategies sharing the account as sleeves (`[trade.portfolio]`), in place of `strategy`.
    public var portfolio: PortfolioSettings?

    /// The sleeves of a multi-strategy deployment and how capital moves between them.
    public struct PortfolioSettings: Sendable, Equatable {
        /// Each `strategy[:key=value,...]`; the text names the sleeve (its risk state, its orders' tag).
        public var sleeves: [String]
        public var rule: SleeveAllocator.Rule
        /// Bars (time steps) between rebalances.
        public var rebalanceBars: Int

        public init(sleeves: [String], rule: SleeveAllocator.Rule, rebalanceBars: Int) {
            self.sleeves = sleeves
            self.rule = rule
            self.rebalanceBars = rebalanceBars
        }
    }

    public init(strategy: String, parameters: StrategyParameters = StrategyParameters(), symbols: [String],
                timeframe: BarTimeframe) {
        self.strategy = strategy
        self.parameters = parameters
        self.symbols = symbols
        self.timeframe = timeframe
    }
}
