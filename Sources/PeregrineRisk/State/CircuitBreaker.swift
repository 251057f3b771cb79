import PeregrineCore

/// The trading state of an account or a strategy: active, reducing-only (exits allowed, no new
/// risk) or halted (nothing new). Every transition is kept with its time and reason.
public struct CircuitBreaker: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case active
        case reducingOnly = "reducing_only"
        case halted
    }

    public struct Transition: Sendable, Equatable, Codable {
        public var time: Int64
        public var from: State
        public var to: State
        public var reason: String
    }

    public private(set) var state: State = .active
    public private(set) var transitions: [Transition] = []

    public init() {}

    /// Moves to `next` and logs it; a no-op when already there.
    public mutating func move(to next: State, at time: Timestamp, reason: String) {
        guard next != state else { return }
        transitions.append(Transition(time: time.nanoseconds, from: state, to: next, reason: reason))
        state = next
    }

    public var allowsEntries: Bool { state == .active }
    public var allowsExits: Bool { state != .halted }
}
