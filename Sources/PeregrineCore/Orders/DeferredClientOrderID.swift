/// A client order id as an order or fill keeps it: either its whole text, or a venue's prefix (with
/// its dash) and a counter whose digits are written only when the text is read. A backtest makes an
/// order every few bars and reads few of their ids; writing each id's text as the order was made
/// cost more than the venue's matching of it.
public struct DeferredClientOrderID: Hashable, Sendable {
    /// The whole id, or the prefix with its dash when `number` is above zero.
    @usableFromInline let head: String
    /// The counter of a generated id (from 1), or 0 when `head` is the whole id.
    @usableFromInline let number: Int

    /// An id known as text (chosen by a strategy, or reported by a broker).
    @inlinable public init(_ text: String) {
        head = text
        number = 0
    }

    /// A generated id: `head` (a prefix and its dash) followed by the decimal digits of `number` (1 or more).
    @inlinable public init(head: String, number: Int) {
        precondition(number > 0, "a generated client order id counts from 1")
        self.head = head
        self.number = number
    }

    /// The id as text, such as `pg-17`.
    public var text: String { number > 0 ? head + String(number) : head }

    /// Equal when the texts are equal, however each was kept.
    public static func == (lhs: DeferredClientOrderID, rhs: DeferredClientOrderID) -> Bool {
        if lhs.number == rhs.number { return lhs.head == rhs.head }
        return lhs.text == rhs.text
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}
