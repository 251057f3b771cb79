import PeregrineCore

/// Recent bars of one symbol with the fills among them, for a chart.
public struct BarsView: Codable, Sendable, Equatable {
    public struct Candle: Codable, Sendable, Equatable {
        public var time: String
        public var open: String
        public var high: String
        public var low: String
        public var close: String
        public var volume: String
    }

    public struct FillMark: Codable, Sendable, Equatable {
        public var time: String
        public var side: String
        public var price: String
        public var quantity: String
    }

    public var symbol: String
    public var source: String
    public var bars: [Candle]
    public var fills: [FillMark]

    init(symbol: String, source: String, bars: [Bar], fills: [RecentMarket.Marker]) {
        self.symbol = symbol
        self.source = source
        self.bars = bars.map {
            Candle(time: $0.timestamp.iso8601, open: $0.open.description, high: $0.high.description, low: $0.low.description,
                   close: $0.close.description, volume: $0.volume.description)
        }
        self.fills = fills.map { FillMark(time: $0.time.iso8601, side: $0.side.rawValue, price: $0.price.description, quantity: $0.quantity.description) }
    }
}
