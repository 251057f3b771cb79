import Synchronization

/// The handle through which a person steers one running bot and sees what it is doing: commands go
/// in (taken by the bot at its next turn, so they never race the books), and the bot publishes its
/// state after every turn. Shared between the trading session and the control plane.
public final class BotControl: Sendable {
    public enum Command: Sendable, Equatable {
        /// No new entries; exits, protection and the kill switch still run.
        case pause
        case resume
        /// Close the position in one symbol (nil: every symbol of the bot).
        case flatten(symbol: String?)
        case cancel(clientOrderID: String)
        /// Clear halted breakers and the kill switch, as `peregrine risk resume` does, naming the person.
        case resumeRisk(by: String)
        /// An order placed by hand, through the bot's checks.
        case order(OperatorOrder)
    }

    public enum State: String, Sendable {
        case starting, running, paused, halted, stopped, finished
    }

    /// What the bot last published about itself.
    public struct Status: Sendable, Equatable {
        public var state: State = .starting
        public var runID: Int64?
        public var startedNanoseconds: Int64?
        /// Why the bot stopped, when an error stopped it.
        public var error: String?
        /// The broker as the last turn found it: connected, or the error of the turn that failed.
        public var broker = "connecting"
        /// Each stream's state by name (the trading stream; connected or disconnected).
        public var streams: [String: String] = [:]
        public var bars = 0
    }

    public let name: String
    public let settings: TradingSettings
    /// Where the bot's events go as they happen (nil: nobody watches).
    public let telemetry: TelemetryHub?
    private let box = Mutex<(commands: [(Command, String)], status: Status)>(([], Status()))

    public init(name: String, settings: TradingSettings, telemetry: TelemetryHub? = nil) {
        self.name = name
        self.settings = settings
        self.telemetry = telemetry
    }

    /// Queues a command for the bot's next turn; `requestedBy` is kept with it for the audit trail.
    public func enqueue(_ command: Command, requestedBy: String) {
        box.withLock { $0.commands.append((command, requestedBy)) }
    }

    /// The commands queued since the last call, oldest first.
    package func takeCommands() -> [(Command, String)] {
        box.withLock { value in
            defer { value.commands.removeAll() }
            return value.commands
        }
    }

    public var status: Status { box.withLock { $0.status } }

    /// Changes the published status; a change of state is also sent to the watchers.
    func update(_ change: (inout Status) -> Void) {
        let (before, after) = box.withLock { value in
            let before = value.status
            change(&value.status)
            return (before, value.status)
        }
        if before.state != after.state || before.error != after.error {
            telemetry?.publish(.botState(bot: name, state: after.state.rawValue, error: after.error))
        }
    }

    /// A stream of the bot connected or dropped: kept in the status and sent to the watchers.
    func connection(_ name: String, _ state: String) {
        box.withLock { $0.status.streams[name] = state }
        telemetry?.publish(.connection(name: name, state: state))
    }

    /// Marks the bot stopped by an error (or finished), from outside its loop.
    public func finish(error: String?) {
        update {
            $0.state = error == nil ? .finished : .stopped
            $0.error = error
        }
    }
}
