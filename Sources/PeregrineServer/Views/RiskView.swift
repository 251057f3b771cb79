/// One deployment's (or sleeve's) saved risk state: breakers, kill switch, losing streak, and the
/// limits it runs under when a running bot supplies them.
public struct RiskView: Codable, Sendable, Equatable {
    public struct Breaker: Codable, Sendable, Equatable {
        public var name: String
        public var state: String
    }

    public var name: String
    public var account: String
    public var killSwitch: Bool
    public var breakers: [Breaker]
    public var lastTransition: String?
    public var equityPeak: Double?
    public var losingStreak: Int
    /// Limit name → value as configured (`max_daily_loss` → `0.02`), when known.
    public var limits: [String: String]
}
