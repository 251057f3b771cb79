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
        // A quantity within 64 bits (every position a market holds, up to 9.2 billion whole units)
        // times a 64-bit price cannot leave 128 bits: one full-width 64-bit multiplication, nothing
        // to check (the generic 128-bit product checks magnitudes and overflow on every mark).
        let narrow = Int64(truncatingIfNeeded: rhs.units)
        if Int128(narrow) == rhs.units {
            let (high, low) = lhs.units.multipliedFullWidth(by: narrow)
            return Money(units: Int128(_low: low, _high: high))
        }
        let (product, overflow) = Int128(lhs.units).multipliedReportingOverflow(by: rhs.units)
        // Beyond 128 bits the product saturates at the books' bound, which the kernel refuses as out
        // of range (orders are checked well inside it, so only a mark that ran away can get here).
        guard !overflow else { return (lhs.units < 0) != (rhs.units < 0) ? -Money.maximum : Money.maximum }
        return Money(units: product)
    }

    /// The absolute value of `quantity` at this price; nil beyond the books' range.
    @inlinable public func magnitudeValue(of quantity: Quantity) -> Money? {
        value(of: quantity.magnitude).map { $0.units < 0 ? -$0 : $0 }
    }

    /// The exact value of `quantity` at this price, or nil when it lies beyond the books' range
    /// (`Money.maximum`, 10^19 currency units): what order checks use to refuse a size the books
    /// cannot hold, instead of trapping.
    @inlinable public func value(of quantity: Quantity) -> Money? {
        let (product, overflow) = Int128(units).multipliedReportingOverflow(by: quantity.units)
        return overflow || product.magnitude >= Money.maximum.units.magnitude ? nil : Money(units: product)
    }

    /// The value as a `Double`, for statistics and models only (never for the books).
    @inlinable public var doubleValue: Double { Double(units) / Double(Price.scale) }

    /// Nearest price to a `Double` on the nano grid; for models that propose prices (slippage, stops).
    /// Never traps: NaN is zero and a value beyond the 64-bit grid (about 9.2 * 10^9) its bound with
    /// the sign, prices every order check refuses.
    public init(approximating value: Double) {
        let scaled = (value * Double(Price.scale)).rounded()
        if scaled.isNaN {
            self.units = 0
        } else if scaled >= 9.2e18 || scaled <= -9.2e18 {
            self.units = scaled > 0 ? Int64.max : -Int64.max
        } else {
            self.units = Int64(scaled)
        }
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
