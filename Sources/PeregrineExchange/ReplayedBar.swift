import PeregrineCore

/// A bar the exchange has replayed, with what its market-data feeds say about it: the symbol, the
/// instrument (which stream serves it), and its place in the replay, from which `BarTape` numbers
/// the trade it prints.
public struct ReplayedBar: Sendable, Equatable {
    public let symbol: String
    public let instrument: Instrument
    public let bar: Bar
    /// The bar's place in the replay, counting from 1.
    public let sequence: Int

    public var quote: Quote { BarTape.quote(of: bar, instrument: instrument) }
    public var trade: Trade { BarTape.trade(of: bar, instrument: instrument, sequence: sequence) }
}
