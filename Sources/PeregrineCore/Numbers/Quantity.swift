/// A quantity of an instrument, exact: an integer count of nano-units (10^-9), which covers
/// fractional shares and crypto amounts as Alpaca accepts them. Signed: negative means short.
///
/// 128 bits wide, because real markets outgrow 64: an index trades above 9.2 billion shares a day
/// (9.2 * 10^18 nano-units is where 64 bits end) and a low-priced coin is held by the trillion.
/// Values beyond `maximum` (10^21 whole units either way) are refused where they enter.
public struct Quantity: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let fractionDigits = 9
    public static let scale: Int128 = 1_000_000_000

    public var units: Int128

    @inlinable public init(units: Int128) { self.units = units }

    /// A whole number of shares or coins.
    @inlinable public init(_ whole: Int) { self.units = Int128(whole) * Quantity.scale }

    /// The largest magnitude any quantity, size or volume may have: 10^21 whole units, a thousand
    /// times the largest daily volume of any real market. (A quantity times a price is checked
    /// separately: see `Price.*`.)
    public static let maximum = Quantity(units: 1_000_000_000_000_000_000_000_000_000_000 as Int128)

    /// Parses decimal text exactly (`"0.25"`); fails on more than nine significant decimals or a
    /// magnitude beyond `maximum`.
    public init?(_ text: String) {
        guard case .success(let units) = DecimalText.parseUnits(Array(text.utf8), fractionDigits: Quantity.fractionDigits,
                                                                   as: Int128.self),
              units.magnitude <= Quantity.maximum.units.magnitude else {
            return nil
        }
        self.units = units
    }

    /// Parses bytes exactly; out-of-range values (beyond `maximum`) are `.outOfRange` errors.
    @inlinable
    public static func parse<Bytes: Collection>(_ bytes: Bytes) -> Result<Quantity, DecimalText.ParseError>
        where Bytes.Element == UInt8
    {
        switch DecimalText.parseUnits(bytes, fractionDigits: Quantity.fractionDigits, as: Int128.self) {
        case .success(let units):
            guard units.magnitude <= Quantity.maximum.units.magnitude else {
                return .failure(.outOfRange(String(decoding: bytes, as: UTF8.self)))
            }
            return .success(Quantity(units: units))
        case .failure(let error):
            return .failure(error)
        }
    }

    /// Whether the magnitude is within `maximum`.
    @inlinable public var isInRange: Bool { units.magnitude <= Quantity.maximum.units.magnitude }

    public static let zero = Quantity(units: 0)

    @inlinable public var isZero: Bool { units == 0 }
    @inlinable public var magnitude: Quantity { Quantity(units: units < 0 ? -units : units) }
    /// Always inlined, as `Money.doubleValue`: as a call in the risk check's path it cost a quarter of the check.
    @inlinable @inline(__always) public var doubleValue: Double { units.fastDoubleValue / 1e9 }

    @inlinable public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.units < rhs.units }
    @inlinable public static func + (lhs: Quantity, rhs: Quantity) -> Quantity { Quantity(units: lhs.units + rhs.units) }
    @inlinable public static func - (lhs: Quantity, rhs: Quantity) -> Quantity { Quantity(units: lhs.units - rhs.units) }
    @inlinable public static prefix func - (value: Quantity) -> Quantity { Quantity(units: -value.units) }
    @inlinable public static func += (lhs: inout Quantity, rhs: Quantity) { lhs.units += rhs.units }
    @inlinable public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs.units -= rhs.units }

    /// This quantity times a rate in parts per billion, rounded toward zero, formed as quotient and
    /// remainder so no intermediate leaves 128 bits (a volume cap on the largest volumes).
    @inlinable public func multiplied(byPartsPerBillion rate: Int64) -> Quantity {
        let divisor: Int128 = 1_000_000_000
        let r = Int128(rate)
        return Quantity(units: (units / divisor) * r + (units % divisor) * r / divisor)
    }

    /// Rounds toward zero to a multiple of `lot`, so an order never asks for a fraction of a lot.
    @inlinable public func rounded(downToLot lot: Quantity) -> Quantity {
        guard lot.units > 1 else { return self }
        return Quantity(units: units - units % lot.units)
    }

    /// Nearest quantity to a `Double`, rounded toward zero on the nano grid; for sizing models.
    /// Never traps: NaN is zero, and a value beyond `maximum` (or infinite) becomes `maximum` plus
    /// one unit with its sign, a size every order check refuses with the size in its message.
    public init(approximating value: Double) {
        guard value.isFinite else {
            self.units = value.isNaN ? 0 : (value > 0 ? Quantity.beyondMaximum : -Quantity.beyondMaximum)
            return
        }
        let scaled = (value * 1e9).rounded(.towardZero)
        if scaled.magnitude > Double(Quantity.maximum.units) {
            self.units = value > 0 ? Quantity.beyondMaximum : -Quantity.beyondMaximum
        } else {
            self.units = Int128(scaled)
        }
    }

    /// One unit past `maximum`: what an out-of-range approximation becomes, so it is refused, not wrapped.
    @usableFromInline static let beyondMaximum: Int128 = Quantity.maximum.units + 1

    public var description: String {
        DecimalText.formatTrimmed(units: Int128(units), fractionDigits: Quantity.fractionDigits)
    }
}
