/// How long an order stays working, with Alpaca's meanings.
public enum TimeInForce: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Until the end of the session it was accepted for; one sent after the close waits for the next.
    case day
    /// Until filled or canceled.
    case gtc
    /// Fill what can fill on first contact with the market, cancel the rest.
    case ioc
    /// Fill the whole quantity on first contact or cancel it all.
    case fok
    /// Only in the opening auction: the open of the next session's first bar.
    case opg
    /// Only in the closing auction: the close of the session's last bar.
    case cls
    public var description: String { rawValue }
}
