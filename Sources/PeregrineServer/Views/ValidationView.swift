/// The go/no-go panel's row for one bot: the validation gate's verdict on the latest stored backtest
/// of its strategy (the same parameters when one was stored), or none when no backtest is stored.
public struct ValidationView: Codable, Sendable, Equatable {
    public var bot: String
    public var strategy: String
    /// GO, NO-GO, or "no backtest".
    public var verdict: String
    public var backtest: StoredBacktestVerdict?
    /// Whether the backtest ran with the bot's own parameters (else: the latest of its strategy).
    public var sameParameters: Bool
}
