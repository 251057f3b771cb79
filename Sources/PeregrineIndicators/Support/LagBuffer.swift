/// The last `capacity` values pushed, with the oldest available as the one leaving the window.
public struct LagBuffer<Element: Sendable>: Sendable {
    private var storage: [Element]
    private var position = 0
    public private(set) var count = 0
    public let capacity: Int

    public init(capacity: Int, filler: Element) {
        precondition(capacity >= 1, "capacity must be at least 1")
        self.capacity = capacity
        storage = Array(repeating: filler, count: capacity)
    }

    public var isFull: Bool { count == capacity }

    /// Pushes a value; returns the value it displaces once the buffer is full.
    @discardableResult
    public mutating func push(_ value: Element) -> Element? {
        let leaving: Element? = count == capacity ? storage[position] : nil
        storage[position] = value
        position = position + 1 == capacity ? 0 : position + 1
        if count < capacity { count += 1 }
        return leaving
    }

    /// The value pushed `ago` pushes back (0 is the latest).
    public subscript(ago ago: Int) -> Element {
        precondition(ago >= 0 && ago < count, "only \(count) values held")
        var index = position - 1 - ago
        if index < 0 { index += capacity }
        return storage[index]
    }

    /// Values oldest first.
    public var values: [Element] { (0..<count).reversed().map { self[ago: $0] } }
}
