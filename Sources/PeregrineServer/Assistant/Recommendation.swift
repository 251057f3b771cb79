/// One piece of advice from the trading assistant: what to do, about which bot or run, and the
/// numbers behind it, so a person can check it before acting.
public struct Recommendation: Codable, Sendable, Equatable {
    /// A stable name of the rule that made it: `limits_refuse_entries`, `validation_gate`,
    /// `adapt_threshold`, `fill_drift`, `starved_sleeve`, `veto_refuses_entries`.
    public var rule: String
    /// The bot, sleeve or run it is about.
    public var subject: String
    public var runId: Int64
    /// The advice in plain words.
    public var text: String
    /// The figures it rests on, by name (counts, rates, thresholds), as exact text.
    public var evidence: [String: String]
}
