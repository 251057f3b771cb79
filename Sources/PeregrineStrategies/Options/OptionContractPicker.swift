import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// How the option strategies choose contracts from the run's listing: the expiration nearest
/// `days` calendar days ahead (after today), and at it the strike whose model delta is nearest a
/// target, or a strike a number of grid steps away from another.
struct OptionContractPicker {
    var days: Int

    static func today(_ context: StrategyContext) -> CivilDate {
        CivilDate(daysSinceEpoch: context.now.nanoseconds.floorDivided(by: Timestamp.nanosPerDay))
    }

    /// The listed expiration nearest `days` ahead, later than today.
    func expiration(_ listed: [OCCSymbol], today: CivilDate) -> CivilDate? {
        let target = today.daysSinceEpoch + Int64(days)
        return Set(listed.map(\.expiration)).filter { $0 > today }.min {
            (abs($0.daysSinceEpoch - target), $0.daysSinceEpoch) < (abs($1.daysSinceEpoch - target), $1.daysSinceEpoch)
        }
    }

    /// The contract of `type` at `expiration` whose delta is nearest `delta` (negative for puts).
    func nearestDelta(_ delta: Double, _ type: OptionType, expiration: CivilDate, listed: [OCCSymbol],
                      _ context: StrategyContext) -> OCCSymbol? {
        listed.filter { $0.type == type && $0.expiration == expiration }.compactMap { contract in
            context.optionValuation(contract).map { (contract, abs($0.delta - delta)) }
        }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// The listed contract `steps` strikes away from `contract` (up when positive), same type and date.
    func shifted(_ contract: OCCSymbol, steps: Int, listed: [OCCSymbol]) -> OCCSymbol? {
        let strikes = listed.filter { $0.type == contract.type && $0.expiration == contract.expiration }.map(\.strike).sorted()
        guard let at = strikes.firstIndex(of: contract.strike), strikes.indices.contains(at + steps) else { return nil }
        return try? OCCSymbol(root: contract.root, expiration: contract.expiration, type: contract.type, strike: strikes[at + steps])
    }
}
