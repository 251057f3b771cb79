/// One page of a listing, newest first. `nextBefore` is the `before` that reads the next (older)
/// page; absent on the last page.
public struct Page<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var items: [Item]
    public var nextBefore: Int64?

    public init(items: [Item], limit: Int, id: (Item) -> Int64) {
        self.items = items
        nextBefore = items.count == limit ? items.last.map(id) : nil
    }
}
