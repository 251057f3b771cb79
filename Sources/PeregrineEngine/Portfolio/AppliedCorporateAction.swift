import PeregrineCore

/// A split or dividend as it reached the books of a run: the position before and after, and the
/// cash it moved (a dividend, or cash in lieu of a fraction of a share).
public struct AppliedCorporateAction: Hashable, Sendable, CustomStringConvertible {
    public var action: CorporateAction
    public var timestamp: Timestamp
    public var positionBefore: Quantity
    public var positionAfter: Quantity
    public var cash: Money

    public var description: String {
        "\(action) at \(timestamp.compactDescription): position \(positionBefore) -> \(positionAfter), cash \(cash)"
    }
}
