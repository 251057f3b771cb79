import Foundation
import PeregrineCore
import PeregrineRisk
import TOMLKit

/// The `[trade]` and `[live]` tables of a Peregrine TOML configuration, with the file's `[risk]`
/// limits (defaults when the table is absent: live trading always runs under limits) and `[exits]`.
///
/// ```toml
/// [trade]
/// strategy = "sma-cross"
/// symbols = ["AAPL", "MSFT"]       # or crypto pairs: ["BTC/USD"]
/// timeframe = "1Min"              # 1Min, 15Min, 1Hour, 1Day
/// warmup_bars = 200               # history fed to the strategy before it trades
/// history_bars = 5000             # bars per symbol kept in memory while trading (at least warmup_bars),
///                                 # equity points as far; the store has all
/// history_records = 250           # fills, closed trips, decisions and settled orders kept in memory
/// poll_seconds = 5
/// cancel_open_orders_on_stop = true
/// allow_short = false
/// adapt_thresholds = false        # signaling-game: min_prob_up from this store's closed trades at each start
/// schedule = "every 15m"          # when the bot acts: "every bar", "every 15m", "daily 15:45 America/New_York"
/// bar_stream = "iex"              # hear of new bars over the market-data stream (iex or sip; crypto pairs
///                                 # on the crypto stream); the bars are still fetched over REST
/// [trade.parameters]              # the strategy's own, as `peregrine strategies` lists them
/// fast = 10
/// slow = 30
///
/// # In place of strategy and parameters: several strategies sharing the account as sleeves.
/// [trade.portfolio]
/// sleeves = ["sma-cross:fast=10,slow=30,percent=0.9", "rsi-bollinger:percent=0.9"]
/// allocation = "thompson"         # or "static:0.5,0.5", or "hrp" / "hrp:120" (risk parity on the last returns)
/// rebalance_bars = 390            # bars between rebalances
/// floor = 0.05                    # thompson: smallest weight of a sleeve
/// memory = 1.0                    # thompson: share of old evidence kept at each rebalance
/// seed = 0
///
/// [live]
/// account = "PA1234567"           # --mode live refuses to start unless the broker reports this account
/// ```
public struct TradeConfiguration: Sendable, Equatable {
    public var strategy: String
    public var parameters: [String: String]
    public var symbols: [String]
    public var timeframe: String
    public var warmUpBars = 200
    /// `history_bars`: bars per symbol a trading bot keeps in memory (the store keeps every one).
    public var historyBars = 5_000
    /// `history_records`: fills, closed trips, stored decisions and settled orders a trading bot
    /// keeps in memory (the store keeps every one).
    public var historyRecords = 250
    public var pollSeconds = 5.0
    public var cancelOpenOrdersOnStop = true
    public var allowShort = false
    /// Re-derive the signal threshold from the trade history in the store at each start.
    public var adaptThresholds = false
    /// The market-data feed whose bar stream wakes the trader (nil: poll every `pollSeconds`).
    public var barStream: String?
    /// When the bot acts (nil: every bar).
    public var schedule: TradingSchedule?
    /// `corporate_actions`: a factor or events file whose splits and dividends the bot's books apply,
    /// as the broker applies them to the account (the local exchange given the same file does).
    public var corporateActions: String?
    /// The account a live run must find at the broker.
    public var liveAccount: String?
    public var risk: RiskLimits
    public var exits: ExitPlan?
    /// The file's `[sizing]` table, when it has one.
    public var sizing: SizingPolicy?
    /// `[trade.portfolio]`: the sleeves (then `strategy` is "portfolio"), their allocation, bars between rebalances.
    public var portfolio: Portfolio?
    /// The document this was read from (a `[[bots]]` table as `[trade]`): kept with each trading run, so
    /// the run's bot can be rebuilt from the store alone (the parity check of a store served read-only).
    public var document = ""

    public struct Portfolio: Sendable, Equatable {
        public var sleeves: [String]
        public var rule: SleeveAllocator.Rule
        public var rebalanceBars: Int
    }

    public static func load(path: String) throws(ConfigurationFileError) -> TradeConfiguration {
        try parse(ConfigurationFileError.text(of: path), source: path)
    }

    public static func parse(_ text: String, source: String = "configuration") throws(ConfigurationFileError) -> TradeConfiguration {
        func fail(_ message: String) -> ConfigurationFileError { ConfigurationFileError(description: "\(source): \(message)") }
        let root = try ConfigurationFileError.root(of: text, source: source)
        guard let trade = root["trade"]?.table else { throw fail("a [trade] table with strategy, symbols and timeframe is required") }
        let known: Set<String> = ["strategy", "symbols", "timeframe", "warmup_bars", "history_bars", "history_records", "poll_seconds", "cancel_open_orders_on_stop",
                                  "allow_short", "adapt_thresholds", "bar_stream", "schedule", "parameters", "portfolio",
                                  "corporate_actions"]
        if let unknown = trade.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("trade.\(unknown) is not a setting; known: \(known.sorted().joined(separator: ", "))")
        }
        let portfolio = try trade["portfolio"].map { value throws(ConfigurationFileError) in
            guard let table = value.table else { throw fail("trade.portfolio must be a table") }
            return try parsePortfolio(table, fail: fail)
        }
        if portfolio != nil, trade["strategy"] != nil || trade["parameters"] != nil {
            throw fail("trade.portfolio replaces trade.strategy and trade.parameters: give the strategies as sleeves")
        }
        guard let strategy = portfolio != nil ? "portfolio" : trade["strategy"]?.string, !strategy.isEmpty else {
            throw fail("trade.strategy: expected a strategy name (or a [trade.portfolio] table of sleeves)")
        }
        guard let list = trade["symbols"]?.array, !list.isEmpty else { throw fail("trade.symbols: expected a list such as [\"AAPL\"]") }
        var symbols: [String] = []
        for item in list {
            guard let symbol = item.string, !symbol.isEmpty else { throw fail("trade.symbols: '\(item)' is not a symbol") }
            guard !symbols.contains(symbol) else { throw fail("trade.symbols: \(symbol) is listed twice") }
            symbols.append(symbol)
        }
        guard let timeframe = trade["timeframe"]?.string else { throw fail("trade.timeframe: expected text such as \"1Min\" or \"1Day\"") }
        var configuration = TradeConfiguration(strategy: strategy, parameters: [:], symbols: symbols, timeframe: timeframe,
                                               risk: try RiskConfiguration.parse(text, source: source),
                                               exits: try ExitConfiguration.parse(text, source: source),
                                               sizing: try SizingConfiguration.parse(text, source: source))
        configuration.portfolio = portfolio
        configuration.document = text
        if let value = trade["warmup_bars"] {
            guard let bars = value.int, bars >= 0 else { throw fail("trade.warmup_bars: expected a whole number ≥ 0, got \(value)") }
            configuration.warmUpBars = bars
        }
        if let value = trade["history_bars"] {
            guard let bars = value.int, bars >= 1, bars <= 100_000_000 else {
                throw fail("trade.history_bars: expected a whole number of bars from 1 to 100,000,000, got \(value)")
            }
            configuration.historyBars = bars
        }
        if let value = trade["history_records"] {
            guard let records = value.int, records >= 1, records <= 100_000_000 else {
                throw fail("trade.history_records: expected a whole number of records from 1 to 100,000,000, got \(value)")
            }
            configuration.historyRecords = records
        }
        if let value = trade["poll_seconds"] {
            guard let seconds = value.double ?? value.int.map(Double.init), seconds > 0, seconds.isFinite else {
                throw fail("trade.poll_seconds: expected a positive number, got \(value)")
            }
            configuration.pollSeconds = seconds
        }
        for (key, path) in [("cancel_open_orders_on_stop", \TradeConfiguration.cancelOpenOrdersOnStop),
                            ("allow_short", \TradeConfiguration.allowShort),
                            ("adapt_thresholds", \TradeConfiguration.adaptThresholds)] {
            guard let value = trade[key] else { continue }
            guard let flag = value.bool else { throw fail("trade.\(key): expected true or false, got \(value)") }
            configuration[keyPath: path] = flag
        }
        if let value = trade["schedule"] {
            guard let text = value.string else { throw fail("trade.schedule: expected text such as \"every 15m\", got \(value)") }
            do { configuration.schedule = try TradingSchedule(parsing: text) } catch { throw fail("trade.\(error.description)") }
        }
        if let value = trade["corporate_actions"] {
            guard let text = value.string, !text.isEmpty else { throw fail("trade.corporate_actions: expected a file path, got \(value)") }
            configuration.corporateActions = text
        }
        if let value = trade["bar_stream"] {
            guard let feed = value.string, ["iex", "sip"].contains(feed) else {
                throw fail("trade.bar_stream: expected \"iex\" or \"sip\", got \(value)")
            }
            configuration.barStream = feed
        }
        if let value = trade["parameters"] {
            guard let table = value.table else { throw fail("trade.parameters must be a table") }
            for key in table.keys {
                let item = table[key]!
                if let text = item.string { configuration.parameters[key] = text }
                else if let number = item.int { configuration.parameters[key] = String(number) }
                else if let number = item.double { configuration.parameters[key] = String(number) }
                else if let flag = item.bool { configuration.parameters[key] = String(flag) }
                else { throw fail("trade.parameters.\(key): expected text, a number or true/false") }
            }
        }
        if let live = root["live"] {
            guard let table = live.table else { throw fail("[live] must be a table") }
            if let unknown = table.keys.first(where: { $0 != "account" }) { throw fail("live.\(unknown) is not a setting; known: account") }
            guard let account = table["account"]?.string, !account.isEmpty else { throw fail("live.account: expected the account number") }
            configuration.liveAccount = account
        }
        return configuration
    }

    static func parsePortfolio(_ table: TOMLTable, fail: (String) -> ConfigurationFileError) throws(ConfigurationFileError) -> Portfolio {
        let known: Set<String> = ["sleeves", "allocation", "rebalance_bars", "floor", "memory", "seed"]
        if let unknown = table.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("trade.portfolio.\(unknown) is not a setting; known: \(known.sorted().joined(separator: ", "))")
        }
        guard let list = table["sleeves"]?.array, list.count >= 2 else {
            throw fail("trade.portfolio.sleeves: expected two or more sleeves such as [\"sma-cross:percent=0.9\", \"buy-and-hold\"]")
        }
        var sleeves: [String] = []
        for item in list {
            guard let text = item.string, !text.isEmpty else { throw fail("trade.portfolio.sleeves: '\(item)' is not a sleeve") }
            guard !sleeves.contains(text) else { throw fail("trade.portfolio.sleeves: \(text) is listed twice") }
            sleeves.append(text)
        }
        func number(_ key: String, _ fallback: Double) throws(ConfigurationFileError) -> Double {
            guard let value = table[key] else { return fallback }
            guard let number = value.double ?? value.int.map(Double.init), number.isFinite else {
                throw fail("trade.portfolio.\(key): expected a number, got \(value)")
            }
            return number
        }
        let rebalance = try number("rebalance_bars", 21)
        guard rebalance >= 1, rebalance == rebalance.rounded() else {
            throw fail("trade.portfolio.rebalance_bars: expected a whole number ≥ 1, got \(rebalance)")
        }
        let seed = try number("seed", 0)
        guard seed >= 0, seed == seed.rounded(), seed < 9e15 else { throw fail("trade.portfolio.seed: expected a whole number ≥ 0") }
        let allocation = table["allocation"]?.string ?? "thompson"
        do {
            let rule = try SleeveAllocator.rule(parsing: allocation, count: sleeves.count, floor: try number("floor", 0.05),
                                                seed: UInt64(seed), memory: try number("memory", 1))
            return Portfolio(sleeves: sleeves, rule: rule, rebalanceBars: Int(rebalance))
        } catch let error as SleeveAllocator.Failure {
            throw fail("trade.portfolio: \(error.description)")
        } catch let error as ConfigurationFileError {
            throw error
        } catch {
            throw fail("trade.portfolio: \(error)")
        }
    }
}
