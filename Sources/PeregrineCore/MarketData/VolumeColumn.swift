/// The volumes of a bar series, exact, in the narrowest of three forms that holds every volume so
/// far: four bytes a bar while each is a whole number of units below 4.29 billion (stocks' minute
/// and daily bars), eight while each fits in 64 bits of units (fractional crypto volumes, 9.2
/// billion whole units a bar), sixteen past that. The first volume a form cannot hold widens the
/// whole column once, so no volume is ever rounded or clipped; reading one is a load and, in the
/// narrowest form, a multiplication.
public struct VolumeColumn: RandomAccessCollection, Sendable, Equatable {
    /// Whole units (volume / `Quantity.scale`), while every volume is one below 2^32 (empty after).
    @usableFromInline var whole: [UInt32] = []
    /// Every volume in units, from the first that was not a whole unit below 2^32 while all fit in
    /// 64 bits; nil before and once widened.
    @usableFromInline var narrow: [Int64]?
    /// Every volume, once one did not fit in 64 bits; nil before.
    @usableFromInline var wide: [Int128]?

    public init() {}

    public init<S: Sequence>(_ volumes: S) where S.Element == Int128 {
        for volume in volumes { append(volume) }
    }

    /// Bytes each volume takes: 4, 8 or 16.
    public var bytesPerVolume: Int { wide != nil ? 16 : narrow != nil ? 8 : 4 }

    /// Whether the column holds 128 bits a bar (a volume beyond 64 bits of units was appended).
    public var isWide: Bool { wide != nil }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { wide?.count ?? narrow?.count ?? whole.count }

    @inlinable public subscript(index: Int) -> Int128 {
        if let wide { return wide[index] }
        if let narrow { return Int128(narrow[index]) }
        return Int128(Int64(whole[index]) &* Self.unitsPerWhole)
    }

    @inlinable public mutating func append(_ volume: Int128) {
        if wide != nil {
            wide!.append(volume)
        } else if narrow != nil {
            if let fits = Int64(exactly: volume) { narrow!.append(fits) } else { widen(); wide!.append(volume) }
        } else if let units = Self.wholeUnits(volume) {
            whole.append(units)
        } else if let fits = Int64(exactly: volume) {
            narrowWhole()
            narrow!.append(fits)
        } else {
            narrowWhole()
            widen()
            wide!.append(volume)
        }
    }

    /// `Quantity.scale`, as a literal the compiler divides by with a multiplication.
    @usableFromInline static let unitsPerWhole: Int64 = 1_000_000_000

    /// `volume` as whole units, when it is a whole number of them below 2^32.
    @inlinable static func wholeUnits(_ volume: Int128) -> UInt32? {
        guard let units = Int64(exactly: volume), units >= 0 else { return nil }
        let whole = units / 1_000_000_000
        return whole &* 1_000_000_000 == units ? UInt32(exactly: whole) : nil
    }

    /// Moves whole-unit volumes into 64-bit units, once.
    @usableFromInline mutating func narrowWhole() {
        var all = [Int64]()
        all.reserveCapacity(Swift.max(whole.capacity, whole.count + 1))
        for units in whole { all.append(Int64(units) &* Self.unitsPerWhole) }
        narrow = all
        whole = []
    }

    /// Moves 64-bit volumes into 128-bit storage, once.
    @usableFromInline mutating func widen() {
        let narrow = self.narrow ?? []
        var all = [Int128]()
        all.reserveCapacity(Swift.max(narrow.capacity, narrow.count + 1))
        for volume in narrow { all.append(Int128(volume)) }
        wide = all
        self.narrow = nil
    }

    public mutating func reserveCapacity(_ capacity: Int) {
        if wide != nil { wide!.reserveCapacity(capacity) } else if narrow != nil { narrow!.reserveCapacity(capacity) } else { whole.reserveCapacity(capacity) }
    }

    public mutating func removeFirst(_ count: Int) {
        if wide != nil { wide!.removeFirst(count) } else if narrow != nil { narrow!.removeFirst(count) } else { whole.removeFirst(count) }
    }

    /// Equal when the volumes are, whichever form each column keeps them in.
    public static func == (lhs: VolumeColumn, rhs: VolumeColumn) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }
}
