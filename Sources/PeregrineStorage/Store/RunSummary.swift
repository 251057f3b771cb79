import PeregrineCore

/// One row of `peregrine db runs`: what ran, when, and how it ended.
public struct RunSummary: Equatable, Sendable {
    public var id: Int64
    public var kind: String
    public var strategy: String
    public var parameters: String
    public var started: Timestamp
    public var bars: Int
    public var initialEquity: Money
    public var finalEquity: Money?
    public var decisions: Int
    public var orders: Int
    public var fills: Int
}
