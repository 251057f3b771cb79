/// The last `capacity` values pushed, with the oldest available as the one leaving the window.
/// Inlinable so it specializes for its element type in every module that uses it.
public struct LagBuffer<Element: Sendable>: Sendable {
    @usableFromInline var storage: [Element]
    @usableFromInline var position = 0
    @usableFromInline var filled = 0
    public let capacity: Int

    public init(capacity: Int, filler: Element) {
        precondition(capacity >= 1, "capacity must be at least 1")
        self.capacity = capacity
        storage = Array(repeating: filler, count: capacity)
    }

    @inlinable public var count: Int { filled }
    @inlinable public var isFull: Bool { filled == capacity }

    /// Pushes a value; returns the value it displaces once the buffer is full.
    @inlinable @discardableResult
    public mutating func push(_ value: Element) -> Element? {
        let leaving: Element? = filled == capacity ? storage[position] : nil
        storage[position] = value
        position = position + 1 == capacity ? 0 : position + 1
        if filled < capacity { filled += 1 }
        return leaving
    }

    /// Pushes `count` values in order, `value(k)` for k in 0..<count: the same as pushing each, with
    /// the storage checked for uniqueness once rather than on every push.
    @inlinable
    public mutating func push(count: Int, _ value: (Int) -> Element) {
        guard count > 0 else { return }
        var position = self.position
        let capacity = self.capacity
        storage.withUnsafeMutableBufferPointer { storage in
            for k in 0..<count {
                storage[position] = value(k)
                position = position + 1 == capacity ? 0 : position + 1
            }
        }
        self.position = position
        filled = Swift.min(capacity, filled + count)
    }

    /// The value pushed `ago` pushes back (0 is the latest).
    @inlinable public subscript(ago ago: Int) -> Element {
        precondition(ago >= 0 && ago < filled, "only \(filled) values held")
        var index = position - 1 - ago
        if index < 0 { index += capacity }
        return storage[index]
    }

    /// Values oldest first.
    @inlinable public var values: [Element] {
        var result: [Element] = []
        result.reserveCapacity(filled)
        var index = filled == capacity ? position : 0
        for _ in 0..<filled {
            result.append(storage[index])
            index = index + 1 == capacity ? 0 : index + 1
        }
        return result
    }
}
