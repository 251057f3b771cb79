import PeregrineCore

/// One rebalance of a multi-strategy portfolio: the weights it chose and the cash it moved.
public struct CapitalRebalance: Sendable, Equatable {
    /// Traded close steps (warm-up excluded) before this rebalance (0: the starting weights).
    public var step: Int
    /// The close of that step (the first traded bar's for the starting weights).
    public var timestamp: Int64
    public var weights: [Double]
    /// Cash moved into each sleeve (negative: out of it); they sum to zero.
    public var transfers: [Money]
}
