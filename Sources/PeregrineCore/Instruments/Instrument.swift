/// A tradable thing: its symbol, market, price grid, lot grid and currency.
public struct Instrument: Hashable, Sendable, CustomStringConvertible {
    public var symbol: String
    public var assetClass: AssetClass
    /// Smallest price increment; order and fill prices lie on this grid.
    public var tickSize: Price
    /// Smallest quantity increment; order quantities are multiples of it.
    public var lotSize: Quantity
    public var currency: String

    public init(
        symbol: String, assetClass: AssetClass = .usEquity, tickSize: Price = Price(units: 10_000_000),
        lotSize: Quantity = Quantity(1), currency: String = "USD"
    ) {
        self.symbol = symbol
        self.assetClass = assetClass
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.currency = currency
    }

    /// A US stock: one-cent ticks, whole shares.
    public static func usEquity(_ symbol: String) -> Instrument { Instrument(symbol: symbol) }

    /// A crypto pair: tiny ticks and fractional amounts.
    public static func crypto(_ symbol: String) -> Instrument {
        Instrument(symbol: symbol, assetClass: .crypto, tickSize: Price(units: 1), lotSize: Quantity(units: 1))
    }

    public var description: String { symbol }
}

/// A run-local index of an instrument, so the hot loop looks instruments up in arrays, not by name.
public struct InstrumentID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var index: Int
    @inlinable public init(_ index: Int) { self.index = index }
    @inlinable public static func < (lhs: InstrumentID, rhs: InstrumentID) -> Bool { lhs.index < rhs.index }
    public var description: String { "#\(index)" }
}
