/// A venue-assigned order number, unique within a run; the client order id is the durable name.
public struct OrderID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: Int
    @inlinable public init(_ value: Int) { self.value = value }
    @inlinable public static func < (lhs: OrderID, rhs: OrderID) -> Bool { lhs.value < rhs.value }
    public var description: String { String(value) }
}
