/// How an order relates to other orders, as Alpaca groups them.
public enum OrderClass: String, Hashable, Sendable, CustomStringConvertible {
    /// One order on its own.
    case simple
    /// An entry with a take-profit and a stop-loss that start working when the entry fills and
    /// cancel each other.
    case bracket
    /// One-cancels-other: a take-profit and a stop-loss exit, working together from the start.
    case oco
    /// One-triggers-other: an entry and one exit that starts working when the entry fills.
    case oto
    public var description: String { rawValue }
}
