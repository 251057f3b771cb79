/// The volumes of a bar series, exact: eight bytes a bar while every volume fits in 64 bits of
/// units (9.2 billion whole shares a bar), which real bars do; the first that does not widens the
/// whole column to 128 bits, so no volume is ever rounded or clipped.
public struct VolumeColumn: RandomAccessCollection, Sendable, Equatable {
    /// Every volume, while all fit in 64 bits (empty once widened).
    @usableFromInline var narrow: [Int64] = []
    /// Every volume, once one did not fit in 64 bits; nil before.
    @usableFromInline var wide: [Int128]?

    public init() {}

    public init<S: Sequence>(_ volumes: S) where S.Element == Int128 {
        for volume in volumes { append(volume) }
    }

    /// Whether the column holds 128 bits a bar (a volume beyond 64 bits of units was appended).
    public var isWide: Bool { wide != nil }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { wide?.count ?? narrow.count }

    @inlinable public subscript(index: Int) -> Int128 {
        if let wide { return wide[index] }
        return Int128(narrow[index])
    }

    @inlinable public mutating func append(_ volume: Int128) {
        if wide != nil {
            wide!.append(volume)
        } else if let fits = Int64(exactly: volume) {
            narrow.append(fits)
        } else {
            widen()
            wide!.append(volume)
        }
    }

    /// Moves the volumes so far into 128-bit storage, once.
    @usableFromInline mutating func widen() {
        var all = [Int128]()
        all.reserveCapacity(Swift.max(narrow.capacity, narrow.count + 1))
        for volume in narrow { all.append(Int128(volume)) }
        wide = all
        narrow = []
    }

    public mutating func reserveCapacity(_ capacity: Int) {
        if wide != nil { wide!.reserveCapacity(capacity) } else { narrow.reserveCapacity(capacity) }
    }

    public mutating func removeFirst(_ count: Int) {
        if wide != nil { wide!.removeFirst(count) } else { narrow.removeFirst(count) }
    }
}
