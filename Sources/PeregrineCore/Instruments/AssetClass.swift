/// The kind of market an instrument trades in; it decides default calendars and whether
/// fractional quantities make sense.
public enum AssetClass: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case usEquity = "us_equity"
    case crypto
    case forex
    case future
    case option

    /// The session calendar a market of this kind follows unless told otherwise.
    public var defaultCalendar: TradingCalendar {
        switch self {
        case .usEquity, .option: return .usEquity
        case .crypto, .forex, .future: return .continuous
        }
    }

    public var description: String { rawValue }
}
