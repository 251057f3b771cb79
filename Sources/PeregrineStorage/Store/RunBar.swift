import PeregrineCore

/// A bar as a trading run handled it: which bot, on which symbol and timeframe, and whether it only
/// warmed the strategy up (history fed before trading) or was traded on. The parity check replays
/// exactly these bars through a backtest.
public struct RunBar: Sendable, Equatable {
    public var bot: String
    public var symbol: String
    public var timeframe: String
    public var bar: Bar
    public var warmUp: Bool

    public init(bot: String, symbol: String, timeframe: String, bar: Bar, warmUp: Bool) {
        self.bot = bot
        self.symbol = symbol
        self.timeframe = timeframe
        self.bar = bar
        self.warmUp = warmUp
    }
}
