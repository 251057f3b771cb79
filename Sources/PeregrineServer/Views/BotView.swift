/// A deployment: its strategy, what it trades, its state and its latest decision.
public struct BotView: Codable, Sendable, Equatable {
    public var name: String
    /// running, paused, halted, stopped (by an error), finished (a past run), unfinished (a past run
    /// that never closed: still running elsewhere, or interrupted).
    public var state: String
    public var strategy: String
    public var parameters: String
    public var mode: String
    public var symbols: [String]
    public var timeframe: String?
    public var schedule: String?
    public var runId: Int64?
    public var started: String?
    public var error: String?
    public var lastDecision: DecisionView?

    public init(name: String, state: String, strategy: String, parameters: String, mode: String, symbols: [String],
                timeframe: String? = nil, schedule: String? = nil, runId: Int64? = nil, started: String? = nil,
                error: String? = nil, lastDecision: DecisionView? = nil) {
        self.name = name
        self.state = state
        self.strategy = strategy
        self.parameters = parameters
        self.mode = mode
        self.symbols = symbols
        self.timeframe = timeframe
        self.schedule = schedule
        self.runId = runId
        self.started = started
        self.error = error
        self.lastDecision = lastDecision
    }
}
