/// The account at one moment of a trading run, as the run recorded it.
public struct EquityPoint: Codable, Sendable, Equatable {
    public var time: String
    public var runId: Int64
    public var bot: String
    public var equity: String
    public var cash: String
}
