/// One OHLCV bar. The timestamp marks the bar's start; prices and volume are exact.
public struct Bar: Hashable, Sendable, CustomStringConvertible {
    public var timestamp: Timestamp
    public var open: Price
    public var high: Price
    public var low: Price
    public var close: Price
    public var volume: Quantity

    @inlinable
    public init(timestamp: Timestamp, open: Price, high: Price, low: Price, close: Price, volume: Quantity) {
        self.timestamp = timestamp
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    public var description: String {
        "\(timestamp.compactDescription) O=\(open) H=\(high) L=\(low) C=\(close) V=\(volume)"
    }
}
