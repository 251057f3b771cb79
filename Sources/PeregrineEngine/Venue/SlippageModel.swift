import PeregrineCore

/// How far a market-like fill (market, stop, trailing stop) lands from the quoted price, against
/// the trader. Slipped prices are rounded to the instrument's tick, away from the trader's favor;
/// limit prices are never crossed.
public enum SlippageModel: Hashable, Sendable, CustomStringConvertible {
    case none
    /// A fixed number of basis points of the price.
    case fixedBasisPoints(Rate)
    /// Price impact `impact * (fill quantity / bar volume)^2`, as in zipline's volume-share model.
    case volumeShare(impact: Double)

    /// Parses `none`, `bps:N` or `volume-share[:IMPACT]` (impact 0.1 by default).
    public init(specification: String) throws(ConfigurationError) {
        let parts = specification.split(separator: ":", maxSplits: 1).map(String.init)
        let usage = "use none, bps:5 or volume-share[:0.1]"
        switch parts[0] {
        case "none" where parts.count == 1:
            self = .none
        case "bps":
            guard parts.count == 2, let rate = Rate(basisPoints: parts[1]), rate.partsPerBillion >= 0 else {
                throw ConfigurationError("slippage '\(specification)': bps needs a non-negative number; \(usage)")
            }
            self = .fixedBasisPoints(rate)
        case "volume-share":
            let impact = parts.count == 2 ? Double(parts[1]) : 0.1
            guard let impact, impact >= 0, impact.isFinite else {
                throw ConfigurationError("slippage '\(specification)': impact must be a non-negative number; \(usage)")
            }
            self = .volumeShare(impact: impact)
        default:
            throw ConfigurationError("unknown slippage model '\(specification)'; \(usage)")
        }
    }

    /// The slipped price for a fill of `quantity` at `price` on a bar that traded `barVolume`.
    public func apply(to price: Price, side: OrderSide, quantity: Quantity, barVolume: Quantity, tick: Price) -> Price {
        let fraction: Double
        switch self {
        case .none:
            return price
        case .fixedBasisPoints(let rate):
            let delta = Int64((Int128(price.units) * Int128(rate.partsPerBillion)) / 1_000_000_000)
            let raw = Price(units: side == .buy ? price.units + delta : price.units - delta)
            return raw.rounded(toTick: tick, up: side == .buy)
        case .volumeShare(let impact):
            let share = barVolume.units > 0 ? min(1, quantity.doubleValue / barVolume.doubleValue) : 1
            fraction = impact * share * share
        }
        // Nearest nano-unit first, so floating-point noise never tips the tick rounding below.
        let delta = Int64((Double(price.units) * fraction).rounded())
        let raw = Price(units: side == .buy ? price.units + delta : max(1, price.units - delta))
        return raw.rounded(toTick: tick, up: side == .buy)
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .fixedBasisPoints(let rate): return "bps:\(Double(rate.partsPerBillion) / 100_000)"
        case .volumeShare(let impact): return "volume-share:\(impact)"
        }
    }
}
