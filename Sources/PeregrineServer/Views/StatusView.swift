/// The whole picture in one call: mode, account, today's P&L, breakers, connections, uptime.
public struct StatusView: Codable, Sendable, Equatable {
    public struct Connection: Codable, Sendable, Equatable {
        public var name: String
        public var state: String
        public var since: String?

        public init(name: String, state: String, since: String? = nil) {
            self.name = name
            self.state = state
            self.since = since
        }
    }

    public var mode: String
    public var readOnly: Bool
    public var store: String
    public var equity: String?
    public var cash: String?
    public var pnlToday: String?
    public var asOf: String?
    public var bots: Int
    public var botsRunning: Int
    public var halted: [String]
    public var killSwitch: Bool
    public var connections: [Connection]
    public var uptimeSeconds: Double
}
