import PeregrineCore

/// One decision row as the store keeps it, with its row id (the cursor a paged listing continues from).
public struct StoredDecision: Equatable, Sendable {
    public var id: Int64
    public var runID: Int64
    public var time: Timestamp
    public var symbol: String
    /// The signal's action (buy, sell, hold, ...), absent for decisions no signal made (exits, flattening).
    public var action: String?
    public var outcome: String
    public var reason: String
    public var detail: String
    public var side: OrderSide?
    public var quantity: Quantity
    public var clientOrderID: String?
    /// The deployment's strategy or the portfolio sleeve that decided.
    public var strategy: String?
}
