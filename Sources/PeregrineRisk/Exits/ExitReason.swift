/// Which exit rule closed (part of) a position. `code` is the stable string the decision log
/// keeps, so stored runs and reports read the same whichever way the rule is spelled in Swift.
public enum ExitReason: Hashable, Sendable {
    case endOfDay
    case timeStop
    case stopLoss
    case trailingStop
    case takeProfit
    /// The scaled exit's tier `tier`, counted from 1 (at most `Int32.max`, as decisions keep it).
    case scaledExit(tier: Int)
    /// The trail on what the scaled exit's tiers leave.
    case scaledTrailingStop

    private static let scaledExitPrefix = "scaled_exit_"

    /// `end_of_day`, `time_stop`, `stop_loss`, `trailing_stop`, `take_profit`, `scaled_exit_1`, ...,
    /// `scaled_trailing_stop`.
    public var code: String {
        switch self {
        case .endOfDay: "end_of_day"
        case .timeStop: "time_stop"
        case .stopLoss: "stop_loss"
        case .trailingStop: "trailing_stop"
        case .takeProfit: "take_profit"
        case .scaledExit(let tier): Self.scaledExitPrefix + String(tier)
        case .scaledTrailingStop: "scaled_trailing_stop"
        }
    }

    /// The reason whose `code` is `code`; nil for any other string (a tier must be a whole number
    /// from 1 to `Int32.max`, written without leading zeros, so every code has one reason).
    public init?(code: String) {
        switch code {
        case "end_of_day": self = .endOfDay
        case "time_stop": self = .timeStop
        case "stop_loss": self = .stopLoss
        case "trailing_stop": self = .trailingStop
        case "take_profit": self = .takeProfit
        case "scaled_trailing_stop": self = .scaledTrailingStop
        default:
            guard code.hasPrefix(Self.scaledExitPrefix) else { return nil }
            let digits = code.dropFirst(Self.scaledExitPrefix.count)
            guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let tier = Int(digits), tier >= 1, tier <= Int32.max,
                  String(tier) == digits else { return nil }
            self = .scaledExit(tier: tier)
        }
    }
}
