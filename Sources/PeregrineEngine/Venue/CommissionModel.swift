import PeregrineCore

/// What the broker charges per order, computed exactly on the money grid.
public enum CommissionModel: Hashable, Sendable, CustomStringConvertible {
    case none
    /// A rate per share (or unit), with a minimum per order (charged across the order's fills).
    case perShare(rate: Price, minimum: Money)
    /// A share of traded notional.
    case percentOfNotional(Rate)
    /// A flat amount per order, charged on its first fill.
    case fixedPerOrder(Money)

    /// Parses `none`, `per-share:RATE[,min=AMOUNT]`, `percent:PCT`, `bps:BPS` or `fixed:AMOUNT`.
    public init(specification: String) throws(ConfigurationError) {
        let parts = specification.split(separator: ":", maxSplits: 1).map(String.init)
        let kind = parts[0]
        let argument = parts.count > 1 ? parts[1] : ""
        let usage = "use none, per-share:0.005[,min=1.00], percent:0.1, bps:5 or fixed:1.00"
        switch kind {
        case "none" where argument.isEmpty:
            self = .none
        case "per-share":
            let fields = argument.split(separator: ",").map(String.init)
            guard let rateText = fields.first, let rate = Price(rateText), rate.units >= 0 else {
                throw ConfigurationError("commission '\(specification)': per-share needs a rate; \(usage)")
            }
            var minimum = Money.zero
            for field in fields.dropFirst() {
                guard field.hasPrefix("min="), let value = Money(String(field.dropFirst(4))), value >= .zero else {
                    throw ConfigurationError("commission '\(specification)': unknown field '\(field)'; \(usage)")
                }
                minimum = value
            }
            self = .perShare(rate: rate, minimum: minimum)
        case "percent":
            guard let rate = Rate(percent: argument), rate.partsPerBillion >= 0 else {
                throw ConfigurationError("commission '\(specification)': percent needs a number; \(usage)")
            }
            self = .percentOfNotional(rate)
        case "bps":
            guard let rate = Rate(basisPoints: argument), rate.partsPerBillion >= 0 else {
                throw ConfigurationError("commission '\(specification)': bps needs a number; \(usage)")
            }
            self = .percentOfNotional(rate)
        case "fixed":
            guard let amount = Money(argument), amount >= .zero else {
                throw ConfigurationError("commission '\(specification)': fixed needs an amount; \(usage)")
            }
            self = .fixedPerOrder(amount)
        default:
            throw ConfigurationError("unknown commission model '\(specification)'; \(usage)")
        }
    }

    /// Commission due on a fill, given what the order has filled and been charged before it.
    public func commission(fillQuantity: Quantity, fillPrice: Price, orderFilledBefore: Quantity,
                           orderChargedBefore: Money) -> Money {
        switch self {
        case .none:
            return .zero
        case .perShare(let rate, let minimum):
            let totalDue = max(rate * (orderFilledBefore + fillQuantity), minimum)
            return max(totalDue - orderChargedBefore, .zero)
        case .percentOfNotional(let rate):
            return (fillPrice * fillQuantity).multiplied(byPartsPerBillion: rate.partsPerBillion)
        case .fixedPerOrder(let amount):
            return orderFilledBefore.isZero ? amount : .zero
        }
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .perShare(let rate, let minimum): return "per-share:\(rate),min=\(minimum.formatted(places: 2))"
        case .percentOfNotional(let rate): return "percent:\(rate.description.dropLast())"
        case .fixedPerOrder(let amount): return "fixed:\(amount.formatted(places: 2))"
        }
    }
}
