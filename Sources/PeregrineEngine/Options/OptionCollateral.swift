import PeregrineCore
import PeregrineModels

/// What a cash account must hold against option positions on one underlying, as Alpaca's options
/// buying power counts it: nothing for long contracts (their premium is paid), the stock for a
/// covered call, and otherwise the worst loss of the positions at expiry: the strike for a
/// cash-secured put, the width for a vertical spread, the wider side for an iron condor. A short
/// call covered neither by shares nor by a long call loses without bound: uncovered, which Alpaca
/// refuses at every level.
///
/// The positions are valued together at every price from zero through each strike, as if they
/// expired at once. A long contract covers only if it lives at least as long as every short one
/// (a long call expiring before the short call it would cover is left out, which can only raise
/// the requirement); shares held cover short calls 100 a contract, the lowest strikes first.
public struct OptionCollateral: Sendable, Equatable {
    /// The contracts held, signed (short negative), and the shares of the underlying held.
    public var contracts: [OCCSymbol: Int]
    public var shares: Quantity

    public init(contracts: [OCCSymbol: Int], shares: Quantity) {
        self.contracts = contracts.filter { $0.value != 0 }
        self.shares = shares
    }

    /// Short calls that no share covers, by contract (positive counts), lowest strikes covered first.
    public var uncoveredShortCalls: [OCCSymbol: Int] {
        var coverable = max(0, Int(truncatingIfNeeded: shares.units / (Quantity.scale * Int128(OptionBook.multiplier))))
        var left: [OCCSymbol: Int] = [:]
        for (contract, count) in contracts.sorted(by: { $0.key.strike < $1.key.strike }) where contract.type == .call && count < 0 {
            let covered = min(coverable, -count)
            coverable -= covered
            if -count > covered { left[contract] = -count - covered }
        }
        return left
    }

    /// Shares the short calls would need to be covered call by call (100 a contract).
    public var sharesForShortCalls: Quantity {
        OptionBook.shares(contracts.reduce(0) { $0 + ($1.key.type == .call && $1.value < 0 ? -$1.value : 0) })
    }

    /// The money held against the positions: the worst loss at expiry of the contracts not
    /// covered by shares (zero when they cannot lose), or nil when a short call is uncovered.
    public var requirement: Money? {
        let uncovered = uncoveredShortCalls
        var legs: [(contract: OCCSymbol, count: Int)] = []
        for (contract, count) in contracts {
            if contract.type == .call && count < 0 {
                if let left = uncovered[contract] { legs.append((contract, -left)) }
            } else if count < 0 {
                legs.append((contract, count))
            }
        }
        guard let lastShortExpiry = legs.map(\.contract.expiration).max() else { return .zero }
        for (contract, count) in contracts where count > 0 && contract.expiration >= lastShortExpiry {
            legs.append((contract, count))
        }
        // Above the highest strike the value moves with the calls alone: it must not fall.
        let callSlope = legs.reduce(0) { $0 + ($1.contract.type == .call ? $1.count : 0) }
        guard callSlope >= 0 else { return nil }
        var worst = Money.zero
        for price in [Price.zero] + legs.map(\.contract.strike) {
            var value = Money.zero
            for leg in legs {
                let depth = leg.contract.type == .call ? price - leg.contract.strike : leg.contract.strike - price
                if depth > .zero { value += depth * OptionBook.shares(leg.count) }
            }
            worst = min(worst, value)
        }
        return -worst
    }
}
