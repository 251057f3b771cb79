/// A proposal as the API lists it: what, for whom, proposed by which tool, and what became of it.
public struct PendingView: Codable, Sendable, Equatable {
    public var id: String
    public var action: String
    public var target: String
    public var state: String
    public var proposedBy: String
    public var reason: String
    public var created: String
    public var expires: String
    public var decidedBy: String?
    public var result: ActionResult?

    public init(_ pending: PendingAction) {
        id = pending.id
        action = pending.action.name
        target = pending.action.target
        state = pending.state.rawValue
        proposedBy = pending.proposedBy
        reason = pending.reason
        created = pending.created.iso8601
        expires = pending.expires.iso8601
        decidedBy = pending.decidedBy
        result = pending.result
    }
}
