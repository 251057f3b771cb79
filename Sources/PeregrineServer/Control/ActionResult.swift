/// The answer to an action: what was asked, of what, whether it was taken, and by whom.
public struct ActionResult: Codable, Sendable, Equatable {
    public var action: String
    public var target: String
    public var accepted: Bool
    public var detail: String
    public var requestedBy: String

    public init(_ action: ControlAction, accepted: Bool, detail: String, requestedBy: String) {
        self.action = action.name
        self.target = action.target
        self.accepted = accepted
        self.detail = detail
        self.requestedBy = requestedBy
    }
}
