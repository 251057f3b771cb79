/// One print of the tape: a price, a size and when, with the feed's own identification (venue,
/// trade id, condition codes, tape, and for crypto the side that took liquidity) kept as sent.
public struct Trade: Hashable, Sendable, CustomStringConvertible {
    public var timestamp: Timestamp
    public var price: Price
    public var size: Quantity
    /// The venue code (Alpaca's one-letter codes for stocks; crypto trades carry none).
    public var exchange: String?
    /// The feed's trade id, unique per venue and day for stocks, per pair for crypto.
    public var id: UInt64?
    public var conditions: [String]
    /// The consolidated tape (A, B or C) of a stock trade.
    public var tape: String?
    /// Crypto: the side of the order that took liquidity (Alpaca's `tks`, B or S).
    public var takerSide: OrderSide?

    public init(timestamp: Timestamp, price: Price, size: Quantity, exchange: String? = nil, id: UInt64? = nil,
                conditions: [String] = [], tape: String? = nil, takerSide: OrderSide? = nil) {
        self.timestamp = timestamp
        self.price = price
        self.size = size
        self.exchange = exchange
        self.id = id
        self.conditions = conditions
        self.tape = tape
        self.takerSide = takerSide
    }

    public var description: String { "\(timestamp.iso8601) \(size) @ \(price)" }
}
