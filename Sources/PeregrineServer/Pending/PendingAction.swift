import PeregrineCore

/// An action an assistant or a tool (the MCP server) put forward: it waits until a person confirms it
/// through the API, the dashboard or Telegram, and expires if nobody does. Nothing a model proposes
/// reaches a bot on its own.
public struct PendingAction: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case pending, confirmed, rejected, expired
    }

    public var id: String
    public var action: ControlAction
    /// Who put it forward (e.g. `mcp:submit_order via 127.0.0.1`).
    public var proposedBy: String
    /// Why, in the proposer's words (kept as data, never run).
    public var reason: String
    public var created: Timestamp
    public var expires: Timestamp
    public var state: State = .pending
    /// The person who confirmed or turned it down.
    public var decidedBy: String?
    /// What the bots' control plane answered when it was confirmed.
    public var result: ActionResult?
}
