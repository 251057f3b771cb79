/// An amount of money, exact: an integer count of 10^-18 currency units in 128 bits.
/// Price (10^-9) times quantity (10^-9) lands on this grid with no rounding, so cash, fills and
/// positions reconcile to the last unit.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let fractionDigits = 18
    public static let scale: Int128 = 1_000_000_000_000_000_000

    public var units: Int128

    @inlinable public init(units: Int128) { self.units = units }

    /// A whole number of currency units.
    @inlinable public init(_ whole: Int) { self.units = Int128(whole) * Money.scale }

    /// Converts a price (one unit of the instrument) to money.
    @inlinable public init(_ price: Price) { self.units = Int128(price.units) * Int128(Quantity.scale) }

    /// Parses decimal text exactly (`"1000000.50"`), up to all 18 decimals (a broker's cost basis may
    /// carry them).
    public init?(_ text: String) {
        // Money has more decimals than Int64 holds: the digits to price precision parse as a price
        // and widen; the decimals past it are added as units.
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let extraDigits = Money.fractionDigits - Price.fractionDigits
        var head = text
        var tail = Substring("")
        if parts.count == 2, parts[1].count > Price.fractionDigits {
            head = String(parts[0]) + "." + parts[1].prefix(Price.fractionDigits)
            tail = parts[1].dropFirst(Price.fractionDigits)
            guard tail.count <= extraDigits, tail.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        }
        guard case .success(let units) = DecimalText.parseUnits(head, fractionDigits: Price.fractionDigits) else {
            return nil
        }
        var value = Int128(units) * Int128(Quantity.scale)
        if !tail.isEmpty, let extra = Int64(tail + String(repeating: "0", count: extraDigits - tail.count)) {
            value += text.hasPrefix("-") ? -Int128(extra) : Int128(extra)
        }
        self.units = value
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
        let product = units * Int128(rate)
        let divisor: Int128 = 1_000_000_000
        let half = divisor / 2
        return Money(units: product >= 0 ? (product + half) / divisor : -((-product + half) / divisor))
    }

    /// Splits off `part / whole` of this amount (|part| <= |whole|), rounding toward zero; used to
    /// allocate cost basis. Computed as quotient and remainder so no intermediate product can
    /// overflow 128 bits, however large the position.
    @inlinable public func proportion(_ part: Quantity, of whole: Quantity) -> Money {
        precondition(whole.units != 0 && part.magnitude <= whole.magnitude)
        let negative = (units < 0) != ((part.units < 0) != (whole.units < 0))
        let magnitude = units < 0 ? -units : units
        let p = Int128(part.units < 0 ? -part.units : part.units)
        let w = Int128(whole.units < 0 ? -whole.units : whole.units)
        let result = (magnitude / w) * p + (magnitude % w) * p / w
        return Money(units: negative ? -result : result)
    }

    /// The value as a `Double`, for statistics and reports only. Built from the two 64-bit halves,
    /// because the generic `Double(Int128)` conversion is an order of magnitude slower and this
    /// runs once per equity point.
    @inlinable public var doubleValue: Double { units.fastDoubleValue / 1e18 }

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
    @inlinable public var fastDoubleValue: Double { Double(_high) * 0x1p64 + Double(_low) }
}
