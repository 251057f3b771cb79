/// A quantity of an instrument, exact: an integer count of nano-units (10^-9), which covers
/// fractional shares and crypto amounts as Alpaca accepts them. Signed: negative means short.
public struct Quantity: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let fractionDigits = 9
    public static let scale: Int64 = 1_000_000_000

    public var units: Int64

    @inlinable public init(units: Int64) { self.units = units }

    /// A whole number of shares or coins.
    @inlinable public init(_ whole: Int) { self.units = Int64(whole) * Quantity.scale }

    /// Parses decimal text exactly (`"0.25"`); fails on more than nine significant decimals.
    public init?(_ text: String) {
        guard case .success(let units) = DecimalText.parseUnits(text, fractionDigits: Quantity.fractionDigits) else {
            return nil
        }
        self.units = units
    }

    public static let zero = Quantity(units: 0)

    @inlinable public var isZero: Bool { units == 0 }
    @inlinable public var magnitude: Quantity { Quantity(units: units < 0 ? -units : units) }
    @inlinable public var doubleValue: Double { Double(units) / Double(Quantity.scale) }

    @inlinable public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.units < rhs.units }
    @inlinable public static func + (lhs: Quantity, rhs: Quantity) -> Quantity { Quantity(units: lhs.units + rhs.units) }
    @inlinable public static func - (lhs: Quantity, rhs: Quantity) -> Quantity { Quantity(units: lhs.units - rhs.units) }
    @inlinable public static prefix func - (value: Quantity) -> Quantity { Quantity(units: -value.units) }
    @inlinable public static func += (lhs: inout Quantity, rhs: Quantity) { lhs.units += rhs.units }
    @inlinable public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs.units -= rhs.units }

    /// Rounds toward zero to a multiple of `lot`, so an order never asks for a fraction of a lot.
    @inlinable public func rounded(downToLot lot: Quantity) -> Quantity {
        guard lot.units > 1 else { return self }
        return Quantity(units: units - units % lot.units)
    }

    /// Nearest quantity to a `Double`, rounded toward zero on the nano grid; for sizing models.
    public init(approximating value: Double) {
        self.units = Int64((value * Double(Quantity.scale)).rounded(.towardZero))
    }

    public var description: String {
        DecimalText.formatTrimmed(units: Int128(units), fractionDigits: Quantity.fractionDigits)
    }
}
