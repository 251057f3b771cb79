import PeregrineCore

/// One line of the audit trail: an action a person asked of the bots, and what became of it.
public struct AuditEntry: Equatable, Sendable {
    public enum Stage: String, Sendable {
        /// Asked (through the API, Telegram, ...), queued for the bot's next turn.
        case requested
        /// Carried out by the bot.
        case applied
        /// Not carried out, with why.
        case refused
        /// Put forward by an assistant or a tool (MCP); nothing happens until a person confirms it.
        case proposed
        /// A person confirmed a proposed action (then it is requested like any other).
        case confirmed
        /// A person turned a proposed action down, or it expired unconfirmed.
        case rejected
    }

    public var id: Int64
    public var time: Timestamp
    public var actor: String
    public var action: String
    public var target: String
    public var stage: Stage
    public var detail: String

    public init(id: Int64 = 0, time: Timestamp, actor: String, action: String, target: String, stage: Stage, detail: String) {
        self.id = id
        self.time = time
        self.actor = actor
        self.action = action
        self.target = target
        self.stage = stage
        self.detail = detail
    }
}
