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
