/// Buy or sell; the sign an order's quantity carries into a position.
public enum OrderSide: String, Hashable, Sendable, CustomStringConvertible {
    case buy
    case sell

    /// +1 for a buy, -1 for a sell.
    @inlinable public var sign: Int64 { self == .buy ? 1 : -1 }
    public var opposite: OrderSide { self == .buy ? .sell : .buy }
    public var description: String { rawValue }
}
