/// How an order's execution price is decided; the five types Alpaca supports.
public enum OrderType: String, Hashable, Sendable, CustomStringConvertible {
    case market
    case limit
    case stop
    case stopLimit = "stop_limit"
    case trailingStop = "trailing_stop"
    public var description: String { rawValue }
}

/// How far a trailing stop follows the best price since submission: a fixed amount or a percentage.
public enum TrailingOffset: Hashable, Sendable, CustomStringConvertible {
    case price(Price)
    case percent(Rate)

    /// The stop for a watermark: below it for a sell, above it for a buy.
    public func stop(from watermark: Price, side: OrderSide) -> Price {
        switch self {
        case .price(let amount):
            return side == .sell ? watermark - amount : watermark + amount
        case .percent(let rate):
            let delta = Int64((Int128(watermark.units) * Int128(rate.partsPerBillion)) / 1_000_000_000)
            return side == .sell ? Price(units: watermark.units - delta) : Price(units: watermark.units + delta)
        }
    }

    public var isPositive: Bool {
        switch self {
        case .price(let amount): return amount.units > 0
        case .percent(let rate): return rate.partsPerBillion > 0 && rate.partsPerBillion < 1_000_000_000
        }
    }

    public var description: String {
        switch self {
        case .price(let amount): return "trail \(amount)"
        case .percent(let rate): return "trail \(rate)"
        }
    }
}
