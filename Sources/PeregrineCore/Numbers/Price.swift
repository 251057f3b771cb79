/// A price, exact: an integer count of nano-units (10^-9) of the quote currency.
/// Nine decimals hold every price Alpaca quotes for stocks and crypto, up to about 9.2 billion.
public struct Price: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let fractionDigits = 9
    public static let scale: Int64 = 1_000_000_000

    public var units: Int64

    @inlinable public init(units: Int64) { self.units = units }

    /// A whole number of currency units, such as `Price(100)` for 100.00.
    @inlinable public init(_ whole: Int) { self.units = Int64(whole) * Price.scale }

    /// Parses decimal text exactly (`"45.549999"`); fails on more than nine significant decimals.
    public init?(_ text: String) {
        guard case .success(let units) = DecimalText.parseUnits(text, fractionDigits: Price.fractionDigits) else {
            return nil
        }
        self.units = units
    }

    public static let zero = Price(units: 0)

    @inlinable public static func < (lhs: Price, rhs: Price) -> Bool { lhs.units < rhs.units }
    @inlinable public static func + (lhs: Price, rhs: Price) -> Price { Price(units: lhs.units + rhs.units) }
    @inlinable public static func - (lhs: Price, rhs: Price) -> Price { Price(units: lhs.units - rhs.units) }

    /// Exact notional of `quantity` at this price.
    @inlinable public static func * (lhs: Price, rhs: Quantity) -> Money {
        Money(units: Int128(lhs.units) * Int128(rhs.units))
    }

    /// The value as a `Double`, for statistics and models only (never for the books).
    @inlinable public var doubleValue: Double { Double(units) / Double(Price.scale) }

    /// Nearest price to a `Double` on the nano grid; for models that propose prices (slippage, stops).
    public init(approximating value: Double) {
        self.units = Int64((value * Double(Price.scale)).rounded())
    }

    /// Rounds to a multiple of `tick`, downward or upward.
    @inlinable public func rounded(toTick tick: Price, up: Bool) -> Price {
        guard tick.units > 1 else { return self }
        let remainder = units % tick.units
        if remainder == 0 { return self }
        let down = units - (remainder < 0 ? remainder + tick.units : remainder)
        return Price(units: up ? down + tick.units : down)
    }

    public var description: String { DecimalText.formatTrimmed(units: Int128(units), fractionDigits: Price.fractionDigits) }
}
