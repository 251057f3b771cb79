/// An amount of money, exact: an integer count of 10^-18 currency units in 128 bits.
/// Price (10^-9) times quantity (10^-9) lands on this grid with no rounding, so cash, fills and
/// positions reconcile to the last unit.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let fractionDigits = 18
    public static let scale: Int128 = 1_000_000_000_000_000_000

    public var units: Int128

    @inlinable public init(units: Int128) { self.units = units }

    /// The largest amount the books hold: 10^19 currency units, far beyond any account, with room
    /// below 128 bits for sums. A value at this bound is out of range (a product that overflowed);
    /// the kernel refuses a run whose equity reaches it. A computed constant rather than a stored
    /// global, so the kernel's check of every bar's equity compares with an immediate instead of
    /// calling the global's accessor.
    @inlinable public static var maximum: Money { Money(units: 10_000_000_000_000_000_000_000_000_000_000_000_000 as Int128) }

    /// Whether the amount is strictly inside the books' range.
    @inlinable public var isInRange: Bool { units.magnitude < Money.maximum.units.magnitude }

    /// A whole number of currency units.
    @inlinable public init(_ whole: Int) { self.units = Int128(whole) * Money.scale }

    /// Converts a price (one unit of the instrument) to money.
    @inlinable public init(_ price: Price) { self.units = Int128(price.units) * Int128(Quantity.scale) }

    /// Parses decimal text exactly (`"1000000.50"`), up to all 18 decimals (a broker's cost basis may
    /// carry them); nil beyond the books' range (`maximum`).
    public init?(_ text: String) {
        guard case .success(let units) = DecimalText.parseUnits(Array(text.utf8), fractionDigits: Money.fractionDigits,
                                                                   as: Int128.self),
              units.magnitude < Money.maximum.units.magnitude else { return nil }
        self.units = units
    }

    public static let zero = Money(units: 0)

    @inlinable public static func < (lhs: Money, rhs: Money) -> Bool { lhs.units < rhs.units }
    @inlinable public static func + (lhs: Money, rhs: Money) -> Money { Money(units: lhs.units + rhs.units) }
    @inlinable public static func - (lhs: Money, rhs: Money) -> Money { Money(units: lhs.units - rhs.units) }
    @inlinable public static prefix func - (value: Money) -> Money { Money(units: -value.units) }
    @inlinable public static func += (lhs: inout Money, rhs: Money) { lhs.units += rhs.units }
    @inlinable public static func -= (lhs: inout Money, rhs: Money) { lhs.units -= rhs.units }

    /// Multiplies by a rate given in parts per billion, rounding half away from zero to the money grid.
    @inlinable public func multiplied(byPartsPerBillion rate: Int64) -> Money {
        // Quotient and remainder, so no intermediate exceeds 128 bits for amounts within `maximum`.
        let divisor: Int128 = 1_000_000_000
        let negative = (units < 0) != (rate < 0)
        let magnitude = units < 0 ? -units : units
        let r = Int128(rate.magnitude)
        let result = (magnitude / divisor) * r + ((magnitude % divisor) * r + divisor / 2) / divisor
        return Money(units: negative ? -result : result)
    }

    /// Splits off `part / whole` of this amount (|part| <= |whole|), rounding toward zero; used to
    /// allocate cost basis. The product is formed on 256 bits, so nothing overflows however large
    /// the position.
    @inlinable public func proportion(_ part: Quantity, of whole: Quantity) -> Money {
        precondition(whole.units != 0 && part.magnitude <= whole.magnitude)
        let negative = (units < 0) != ((part.units < 0) != (whole.units < 0))
        let magnitude = units < 0 ? -units : units
        let p = part.units < 0 ? -part.units : part.units
        let w = whole.units < 0 ? -whole.units : whole.units
        // All of it (a position closed whole): the amount itself, without the 256-bit division.
        if p == w { return Money(units: negative ? -magnitude : magnitude) }
        // magnitude * p / w on 256 bits: quantities are 128 bits wide, so the product may not fit.
        let wide = magnitude.multipliedFullWidth(by: p)
        let result = w.dividingFullWidth((high: wide.high, low: wide.low)).quotient
        return Money(units: negative ? -result : result)
    }
    /// The value as a `Double`, for statistics and reports only. Built from the two 64-bit halves,
    /// because the generic `Double(Int128)` conversion is an order of magnitude slower and this
    /// runs once per equity point. Always inlined: as a call it made the statistics' loops save and
    /// reload their floating-point registers around each conversion.
    @inlinable @inline(__always) public var doubleValue: Double { units.fastDoubleValue / 1e18 }

    /// Text with `places` decimals (half away from zero), e.g. `1001963.17`.
    public func formatted(places: Int = 2) -> String {
        DecimalText.format(units: units, fractionDigits: Money.fractionDigits, places: places)
    }

    /// Full precision with trailing zeros trimmed.
    public var description: String { DecimalText.formatTrimmed(units: units, fractionDigits: Money.fractionDigits) }
}

extension Int128 {
    /// The nearest `Double`, from the two 64-bit halves; the generic `Double(Int128)` conversion is
    /// an order of magnitude slower.
    /// Built from the magnitude, so a small negative value keeps its precision (its two's-complement
    /// low half would round to a multiple of 2048).
    /// The high half goes through a signed conversion (one instruction; the unsigned one is a
    /// sequence) whenever it fits, which is always except for `Int128.min`; the value is the same.
    /// Always inlined: the statistics convert every point of an equity curve twice, and as a call it
    /// made the loop save and reload its floating-point registers around each conversion.
    @inlinable @inline(__always) public var fastDoubleValue: Double {
        let m = magnitude
        let high = m._high < 1 << 63 ? Double(Int64(truncatingIfNeeded: m._high)) : Double(m._high)
        let value = high * 0x1p64 + Double(m._low)
        return self < 0 ? -value : value
    }
}
