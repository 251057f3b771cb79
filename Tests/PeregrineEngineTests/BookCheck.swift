import PeregrineCore
import PeregrineEngine

/// Recomputes a backtest's books from its fills alone, in plain 128-bit integers, and compares them
/// to the account the kernel kept: cash, each position, commissions, and equity at the final marks.
enum BookCheck {
    struct Mismatch: Error, CustomStringConvertible { let description: String }

    /// `corporateActionCash` (dividends, cash in lieu) is taken as given; positions are then checked
    /// against the fills only when no split changed them.
    static func reconcile(_ result: BacktestResult, corporateActionCash: Money = .zero) throws {
        var cash = result.account.initialCash.units + result.account.transfers.units + corporateActionCash.units
        var positions = Array(repeating: Int128(0), count: result.instruments.count)
        var commissions = Int128(0)
        for fill in result.fills {
            let signed = fill.side == .buy ? fill.quantity.units : -fill.quantity.units
            let (notional, overflow) = Int128(fill.price.units).multipliedReportingOverflow(by: signed)
            guard !overflow else { throw Mismatch(description: "fill \(fill) is beyond 128 bits") }
            cash -= notional + fill.commission.units
            commissions += fill.commission.units
            positions[fill.instrument.index] += signed
        }
        guard cash == result.account.cash.units else {
            throw Mismatch(description: "cash \(result.account.cash) but the fills give \(Money(units: cash))")
        }
        guard commissions == result.account.commissionsPaid.units else { throw Mismatch(description: "commissions differ") }
        var equity = cash
        for (index, position) in positions.enumerated() {
            let split = result.corporateActions.contains { if case .split = $0.action.kind { return true } else { return false } }
            guard split || position == result.account.positions[index].quantity.units else {
                throw Mismatch(description: "position \(index) is \(result.account.positions[index].quantity) but the fills give \(position)")
            }
            equity += Int128(result.finalMarks[index].units) * result.account.positions[index].quantity.units
        }
        guard equity == result.finalEquity.units else {
            throw Mismatch(description: "final equity \(result.finalEquity) but cash and marks give \(Money(units: equity))")
        }
    }
}
