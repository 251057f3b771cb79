import PeregrineLive

/// What the API needs beyond the store: the bots running in this process, their connections, the
/// limits they run under, and a way to steer them. The trading runtime provides one; a server over a
/// store alone uses `StoreOnlyPlane`, which has no bots and refuses every action.
public protocol ControlPlane: Sendable {
    /// `store` for a read-only server, otherwise the bots' mode (sim, paper, live).
    var mode: String { get }
    var readOnly: Bool { get }
    /// The bots of this process, nil when the server only reads a store (the bots then come from its runs).
    func bots() async -> [BotView]?
    func connections() async -> [StatusView.Connection]
    /// The configured limits of a risk state's owner (a bot or sleeve), by limit name.
    func limits(of name: String) async -> [String: String]
    /// Queues the action for the bots' next turn. `requestedBy` is who asked (client and, where given, a name).
    func perform(_ action: ControlAction, requestedBy: String) async throws(APIError) -> ActionResult
    /// A bot of this process with the settings it trades by and its current run, for the parity check;
    /// nil when no bot of that name runs here.
    func botSettings(named name: String) async -> (settings: TradingSettings, runID: Int64?)?
}

/// A store served read-only: no bots run here, so nothing can be steered.
public struct StoreOnlyPlane: ControlPlane {
    public init() {}

    public var mode: String { "store" }
    public var readOnly: Bool { true }
    public func bots() async -> [BotView]? { nil }
    public func connections() async -> [StatusView.Connection] { [] }
    public func limits(of name: String) async -> [String: String] { [:] }
    public func botSettings(named name: String) async -> (settings: TradingSettings, runID: Int64?)? { nil }

    public func perform(_ action: ControlAction, requestedBy: String) async throws(APIError) -> ActionResult {
        throw APIError(.readOnly, "this server reads a store and runs no bots; \(action.name) needs a running bot "
                       + "(peregrine trade --serve)")
    }
}
