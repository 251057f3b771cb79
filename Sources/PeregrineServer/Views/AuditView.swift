import PeregrineStorage

/// A line of the audit trail as the API lists it.
public struct AuditView: Codable, Sendable, Equatable {
    public var id: Int64
    public var time: String
    public var actor: String
    public var action: String
    public var target: String
    public var stage: String
    public var detail: String

    public init(_ entry: AuditEntry) {
        id = entry.id
        time = entry.time.iso8601
        actor = entry.actor
        action = entry.action
        target = entry.target
        stage = entry.stage.rawValue
        detail = entry.detail
    }
}
