import PeregrineCore
import PeregrineModels

/// The option contracts listed on an underlying (by the local exchange, and in backtests), generated the way a listing
/// exchange spreads them around the price: weekly expirations on the Fridays of the next five
/// weeks (today's too when today is a Friday), and strikes on a grid within 20% of the reference
/// price, the grid's step growing with the price (0.50 below 25, 1 below 100, 2.50 below 250, 5
/// below 1,000, then 10). Calls and puts at every strike.
public struct OptionListing: Sendable {
    /// Weeks of Friday expirations listed.
    public var weeks = 5
    /// Strikes run from (1 - band) to (1 + band) times the reference price.
    public var band = 0.20

    public init() {}

    /// The grid's step at a reference price.
    public static func strikeStep(for reference: Price) -> Price {
        let value = reference.doubleValue
        let cents: Int64 = value < 25 ? 50 : value < 100 ? 100 : value < 250 ? 250 : value < 1_000 ? 500 : 1_000
        return Price(units: cents * (Price.scale / 100))
    }

    /// The Fridays from `date` (inclusive) through the next `weeks` weeks.
    public func expirations(from date: CivilDate) -> [CivilDate] {
        let toFriday = Int64((5 - date.weekday + 7) % 7)
        let first = date.daysSinceEpoch + toFriday
        return (0..<weeks).map { CivilDate(daysSinceEpoch: first + Int64($0) * 7) }
    }

    /// Strikes on the grid within the band around `reference`; none for a price that is not positive
    /// or beyond what an OCC symbol can carry.
    public func strikes(around reference: Price) -> [Price] {
        guard reference > .zero, reference.doubleValue < 50_000 else { return [] }
        let step = Self.strikeStep(for: reference).units
        let low = Int64((Double(reference.units) * (1 - band) / Double(step)).rounded(.up))
        let high = Int64((Double(reference.units) * (1 + band) / Double(step)).rounded(.down))
        guard low <= high else { return [] }
        return (max(low, 1)...high).map { Price(units: $0 * step) }
    }

    /// Every contract listed on `root` on `date` with the underlying at `reference`, in OCC order.
    public func contracts(root: String, on date: CivilDate, reference: Price) -> [OCCSymbol] {
        var listed: [OCCSymbol] = []
        for expiration in expirations(from: date) {
            for strike in strikes(around: reference) {
                for type in [OptionType.call, .put] {
                    if let contract = try? OCCSymbol(root: root, expiration: expiration, type: type, strike: strike) {
                        listed.append(contract)
                    }
                }
            }
        }
        return listed.sorted()
    }
}
