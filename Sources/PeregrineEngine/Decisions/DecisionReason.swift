import PeregrineCore
import PeregrineRisk

/// Why a decision came out as it did: a rule of the decision gate, the schedule, the route an order
/// took, an exit rule, or a refusal. The kernel compares these values; `code` is the stable string
/// the audit trail, decision CSV files and `decisionCounts` keep, so stored runs read the same.
public enum DecisionReason: Hashable, Sendable {
    // The decision gate (`DecisionGate`)
    case openLong
    case closeLong
    case openShort
    case closeShort
    case alreadyLong
    case alreadyShort
    case buyPending
    case sellPending
    case signalHold
    // The schedule
    /// Before the trading start: the bar only warms the strategy up.
    case warmUp
    /// The bot's schedule does not act on this bar.
    case offSchedule
    // Orders the strategy or the kernel sends
    /// An explicit order (`StrategyContext.submit`).
    case order
    /// A resting stop or target of the exit plan (`[exits] resting`).
    case restingExit
    /// The kill switch's flatten, past all checks.
    case killSwitchFlatten
    /// A person asked for the position to be closed (the control API's flatten).
    case operatorFlatten
    /// An order a person placed by hand through the control plane (a confirmed pending action),
    /// through the same checks as the strategy's orders.
    case operatorOrder
    /// An exit rule closing (part of) a position.
    case exit(ExitReason)
    /// Refused by the gate, the pre-trade checks, the risk engine or the venue. `warm_up` and
    /// `off_schedule` refusals are `warmUp` and `offSchedule` (see `init(rejection:)`).
    case rejected(Rejection.Code)

    /// The reason a refusal with `code` is logged under: the schedule's own cases for `warm_up` and
    /// `off_schedule`, so that one code always names one reason.
    public init(rejection code: Rejection.Code) {
        switch code {
        case .warmUp: self = .warmUp
        case .offSchedule: self = .offSchedule
        default: self = .rejected(code)
        }
    }

    /// The stored form: `open_long`, `warm_up`, `stop_loss`, `shorting_disabled`, ...
    public var code: String {
        switch self {
        case .openLong: "open_long"
        case .closeLong: "close_long"
        case .openShort: "open_short"
        case .closeShort: "close_short"
        case .alreadyLong: "already_long"
        case .alreadyShort: "already_short"
        case .buyPending: "buy_pending"
        case .sellPending: "sell_pending"
        case .signalHold: "signal_hold"
        case .warmUp: "warm_up"
        case .offSchedule: "off_schedule"
        case .order: "order"
        case .restingExit: "resting_exit"
        case .killSwitchFlatten: "kill_switch_flatten"
        case .operatorFlatten: "operator_flatten"
        case .operatorOrder: "operator_order"
        case .exit(let reason): reason.code
        case .rejected(let code): code.rawValue
        }
    }

    /// The reason whose `code` is `code` (nil for a string no reason has), for reading stored runs back.
    public init?(code: String) {
        switch code {
        case "open_long": self = .openLong
        case "close_long": self = .closeLong
        case "open_short": self = .openShort
        case "close_short": self = .closeShort
        case "already_long": self = .alreadyLong
        case "already_short": self = .alreadyShort
        case "buy_pending": self = .buyPending
        case "sell_pending": self = .sellPending
        case "signal_hold": self = .signalHold
        case "warm_up": self = .warmUp
        case "off_schedule": self = .offSchedule
        case "order": self = .order
        case "resting_exit": self = .restingExit
        case "kill_switch_flatten": self = .killSwitchFlatten
        case "operator_flatten": self = .operatorFlatten
        case "operator_order": self = .operatorOrder
        default:
            if let exit = ExitReason(code: code) {
                self = .exit(exit)
            } else if let rejection = Rejection.Code(rawValue: code) {
                self.init(rejection: rejection)
            } else {
                return nil
            }
        }
    }
}

extension DecisionReason: CustomStringConvertible {
    public var description: String { code }
}
