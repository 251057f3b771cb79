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
            let delta = Int64(clamping: (Int128(price.units) * Int128(rate.partsPerBillion)) / 1_000_000_000)
            return Self.moved(price, by: delta, side: side).rounded(toTick: tick, up: side == .buy)
        case .volumeShare(let impact):
            let share = barVolume.units > 0 ? min(1, quantity.doubleValue / barVolume.doubleValue) : 1
            fraction = impact * share * share
        }
        // Nearest nano-unit first, so floating-point noise never tips the tick rounding below.
        let delta = Price(approximating: price.doubleValue * fraction).units
        return Self.moved(price, by: delta, side: side).rounded(toTick: tick, up: side == .buy)
    }

    /// The price moved against the taker by `delta` units: up for a buy, down (never below one unit)
    /// for a sell. Saturates at the price grid's bound rather than trapping; a price there is refused
    /// downstream as out of range.
    private static func moved(_ price: Price, by delta: Int64, side: OrderSide) -> Price {
        if side == .buy {
            let (sum, overflow) = price.units.addingReportingOverflow(delta)
            return Price(units: overflow ? Int64.max : sum)
        }
        let (difference, overflow) = price.units.subtractingReportingOverflow(delta)
        return Price(units: overflow ? 1 : max(1, difference))
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .fixedBasisPoints(let rate): return "bps:\(Double(rate.partsPerBillion) / 100_000)"
        case .volumeShare(let impact): return "volume-share:\(impact)"
        }
    }
}
