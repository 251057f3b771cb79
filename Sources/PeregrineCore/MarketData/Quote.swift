/// The best bid and offer at one instant (level 1), as a market-data feed reports it: prices and
/// sizes exact, the venues that posted each side and the feed's condition codes kept as sent, so
/// nothing a feed says is lost on the way to a strategy or a file.
public struct Quote: Hashable, Sendable, CustomStringConvertible {
    public var timestamp: Timestamp
    public var bidPrice: Price
    public var bidSize: Quantity
    public var askPrice: Price
    public var askSize: Quantity
    /// The venue code of each side (Alpaca's one-letter codes for stocks; crypto quotes carry none).
    public var bidExchange: String?
    public var askExchange: String?
    public var conditions: [String]
    /// The consolidated tape (A, B or C) of a stock quote.
    public var tape: String?

    public init(timestamp: Timestamp, bidPrice: Price, bidSize: Quantity, askPrice: Price, askSize: Quantity,
                bidExchange: String? = nil, askExchange: String? = nil, conditions: [String] = [], tape: String? = nil) {
        self.timestamp = timestamp
        self.bidPrice = bidPrice
        self.bidSize = bidSize
        self.askPrice = askPrice
        self.askSize = askSize
        self.bidExchange = bidExchange
        self.askExchange = askExchange
        self.conditions = conditions
        self.tape = tape
    }

    public var description: String {
        "\(timestamp.iso8601) bid \(bidSize) @ \(bidPrice) ask \(askSize) @ \(askPrice)"
    }
}
