import Foundation
import PeregrineCore

/// What the risk layer must remember across a restart: the breakers (with the kill switch, which
/// only a person resets), the session's starting equity, the equity peak, per-symbol exits,
/// stop-outs and the losing streak. Saved as JSON (written whole, then renamed into place).
public struct RiskState: Sendable, Equatable, Codable {
    public var account = CircuitBreaker()
    public var strategies: [String: CircuitBreaker] = [:]
    /// Set by the drawdown kill switch; cleared only by `resume`.
    public var killSwitchEngaged = false
    public var sessionDay: Int64?
    public var sessionStartEquity: Double?
    public var equityPeak: Double?
    /// Per symbol: time of the last exit to flat, bar index of it, recent stop-out times, pause end.
    public var lastExitTime: [String: Int64] = [:]
    public var lastExitBar: [String: Int] = [:]
    public var stopOutTimes: [String: [Int64]] = [:]
    public var pausedUntil: [String: Int64] = [:]
    public var consecutiveLosses = 0

    public init() {}

    /// A person resumes trading after the kill switch or any halt: the switch is released, the
    /// equity peak starts afresh, and the account's and strategies' breakers return to active
    /// (each transition logged with who did it).
    public mutating func resume(at time: Timestamp, by person: String) {
        killSwitchEngaged = false
        equityPeak = nil
        account.move(to: .active, at: time, reason: "resumed by \(person)")
        for name in strategies.keys { strategies[name]!.move(to: .active, at: time, reason: "resumed by \(person)") }
    }

    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        let temporary = path + ".tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    public static func load(from path: String) throws -> RiskState {
        try JSONDecoder().decode(RiskState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
