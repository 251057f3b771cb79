import PeregrineCore
import PeregrineEngine

/// How big an entry is: a fixed quantity or a share of equity, optionally scaled so the position's
/// volatility matches a target (never above `maxLeverage` times the unscaled size).
public struct PositionSizing: Hashable, Sendable {
    public enum Base: Hashable, Sendable {
        case quantity(Quantity)
        /// Fraction of equity, 0.5 for half.
        case equityFraction(Double)
    }

    public var base: Base
    /// Annualized volatility target, 0.15 for 15%; `nil` disables scaling.
    public var volatilityTarget: Double?
    public var maxLeverage: Double = 1

    public init(base: Base, volatilityTarget: Double? = nil, maxLeverage: Double = 1) {
        self.base = base
        self.volatilityTarget = volatilityTarget
        self.maxLeverage = maxLeverage
    }

    /// The entry size at `price`, rounded down to the lot; zero if nothing fits.
    /// - Parameter barVolatility: per-bar standard deviation of log returns, when known.
    public func size(price: Price, equity: Money, lot: Quantity, barVolatility: Double?, periodsPerYear: Double)
        -> Quantity
    {
        var units: Double
        switch base {
        case .quantity(let quantity): units = quantity.doubleValue
        case .equityFraction(let fraction): units = equity.doubleValue * fraction / price.doubleValue
        }
        if let target = volatilityTarget {
            guard let barVolatility, barVolatility > 0 else { return .zero }
            let annual = barVolatility * periodsPerYear.squareRoot()
            units *= min(maxLeverage, target / annual)
        }
        guard units.isFinite, units > 0 else { return .zero }
        return Quantity(approximating: units).rounded(downToLot: lot)
    }
}

extension PositionSizing {
    /// The sizing parameters strategies share: a fixed `quantity` or a `percent` of equity, optionally
    /// scaled to `vol_target` at most `max_leverage` times.
    static func parameters(defaultQuantity: String) -> [StrategyParameter] {
        [
            StrategyParameter("quantity", .decimal(0.000000001...1e15), default: defaultQuantity, help: "shares (or coins) per entry"),
            StrategyParameter("percent", .decimal(0.000001...10), help: "size by share of equity instead of quantity, 0.95 for 95%"),
            StrategyParameter("vol_target", .decimal(0.0001...10), help: "scale entries to this annual volatility, 0.15 for 15%"),
            StrategyParameter("max_leverage", .decimal(0.01...10), default: "1", help: "cap on the volatility scaling"),
        ]
    }

    /// The sizing those parameters give; `quantity` and `percent` together are refused.
    init(_ arguments: StrategyArguments) throws(ConfigurationError) {
        if arguments.isGiven("quantity") && arguments.isGiven("percent") {
            throw ConfigurationError("\(arguments.strategy): give quantity or percent, not both")
        }
        let base: Base
        if let percent = arguments.decimal("percent") {
            base = .equityFraction(percent)
        } else {
            base = .quantity(try arguments.quantity("quantity") ?? Quantity(100))
        }
        self.init(base: base, volatilityTarget: arguments.decimal("vol_target"), maxLeverage: arguments.decimal("max_leverage") ?? 1)
    }
}
