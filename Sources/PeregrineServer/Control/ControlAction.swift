import PeregrineLive

/// What a person can ask of running bots through the API (and later the dashboard and Telegram). Each
/// one takes effect at the bot's next turn and is written to the audit trail with who asked.
public enum ControlAction: Sendable, Equatable {
    /// No new entries from the next bar; exits, protection and the kill switch still run.
    case pause(bot: String)
    case resume(bot: String)
    /// Close every bot's position in one symbol at the next turn.
    case flatten(symbol: String)
    /// Close every position of every bot.
    case flattenAll
    /// Cancel one working order (by client order id).
    case cancelOrder(clientOrderID: String)
    /// Clear halted breakers and a kill switch, as `peregrine risk resume` does.
    case resumeRisk
    /// An order placed by hand with one bot, through its checks (only ever after a person confirms it).
    case submitOrder(bot: String, order: OperatorOrder)

    public var name: String {
        switch self {
        case .pause: "pause"
        case .resume: "resume"
        case .flatten: "flatten"
        case .flattenAll: "flatten_all"
        case .cancelOrder: "cancel_order"
        case .resumeRisk: "risk_resume"
        case .submitOrder: "submit_order"
        }
    }

    public var target: String {
        switch self {
        case .pause(let bot), .resume(let bot): bot
        case .flatten(let symbol): symbol
        case .flattenAll, .resumeRisk: "all"
        case .cancelOrder(let id): id
        case .submitOrder(let bot, let order): "\(bot): \(order.summary)"
        }
    }
}
