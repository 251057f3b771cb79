import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// Alpaca's options trading levels and options buying power on the local exchange. Level 1 sells
/// covered calls and cash-secured puts, level 2 also buys calls and puts, level 3 also trades
/// spreads (mleg orders); level 0 trades no options. No level sells an uncovered call.
///
/// Options buying power is the cash less the collateral of the option positions
/// (`OptionCollateral`: a cash-secured put's strike, a spread's width) and less what working
/// option orders hold. An order needs its premium (a debit; a credit counts toward it) plus the
/// collateral it adds beside the positions and working orders: a long contract its full premium,
/// a cash-secured put its strike less its premium, a spread its maximum loss less its credit. The
/// premium is the limit price for a limit order and the model's price now for a market order.
extension LocalExchange {
    /// Signed contracts held on `root`, and with `working` the working orders' legs as if filled
    /// (what a new order is checked beside: a call already sold by a working order takes its
    /// shares, as Alpaca's available quantity does).
    func optionHoldings(root: String, working: Bool = false) -> [OCCSymbol: Int] {
        var holdings: [OCCSymbol: Int] = [:]
        for (contract, position) in options.positions where contract.root == root {
            holdings[contract] = OptionBook.contracts(position)
        }
        guard working else { return holdings }
        for index in options.working(root: root) {
            let order = options.orders[index]
            for leg in order.legs {
                holdings[leg.contract, default: 0] += leg.side == .buy ? order.quantity * leg.ratio : -order.quantity * leg.ratio
            }
        }
        return holdings
    }

    /// Shares of `root` held (zero when short or unknown).
    func sharesHeld(root: String) -> Quantity {
        guard let instrument = symbols[root] else { return .zero }
        return max(account.position(instrument).quantity, .zero)
    }

    /// The collateral held against every option position. No order opens an uncovered call, but
    /// selling the shares under a covered call leaves one; its underlying then counts nothing here
    /// (as cash cannot secure it) and the next option order on it is refused as uncovered.
    var optionCollateral: Money {
        let roots = Set(options.positions.keys.map(\.root))
        return roots.reduce(Money.zero) { total, root in
            let needed = OptionCollateral(contracts: optionHoldings(root: root), shares: sharesHeld(root: root)).requirement
            return total + (needed ?? .zero)
        }
    }

    /// The account's options buying power: cash less the option collateral and the working option
    /// orders' holds, not below zero.
    var optionsBuyingPower: Money {
        max(account.cash + options.cash - optionCollateral - options.reservedBuyingPower, .zero)
    }

    /// Refuses an option order the account's level or options buying power does not allow, with
    /// Alpaca's 403 and message; sets what an accepted order holds while it works.
    func checkOptionBuyingPower(_ order: inout OptionOrder) throws(ExchangeRequestError) {
        guard optionsTradingLevel > 0 else { throw .options(403, "account not authorized to trade options") }
        let before = optionHoldings(root: order.root, working: true)
        var after = before
        for leg in order.legs {
            let contracts = order.quantity * leg.ratio
            after[leg.contract, default: 0] += leg.side == .buy ? contracts : -contracts
        }
        let shares = sharesHeld(root: order.root)
        let opening = order.legs.filter { leg in
            let held = before[leg.contract] ?? 0
            return leg.side == .buy ? held >= 0 : held <= 0
        }
        let afterCollateral = OptionCollateral(contracts: after, shares: shares)
        let single = order.legs[0]
        if !order.isMultiLeg, single.side == .sell, single.contract.type == .call, !opening.isEmpty,
           !afterCollateral.uncoveredShortCalls.isEmpty, afterCollateral.requirement == nil {
            // A call sold alone must be covered by 100 shares a contract.
            let open = before.reduce(0) { $0 + ($1.key.type == .call && $1.value < 0 ? -$1.value : 0) }
            let available = max(shares - OptionBook.shares(open), .zero)
            throw .options(403, "insufficient underlying qty available for covered call (required: \(OptionBook.shares(order.quantity)), available: \(available))")
        }
        let collateralBefore = OptionCollateral(contracts: before, shares: shares).requirement ?? .zero
        // An order that only closes is never refused as uncovered (an uncovered call left by sold
        // shares must be closable); one that opens must leave nothing uncovered.
        guard let collateralAfter = afterCollateral.requirement ?? (opening.isEmpty ? collateralBefore : nil) else {
            throw .options(403, "account not eligible to trade uncovered option contracts")
        }
        // The level the order needs: closing only, a covered call or a cash-secured put is level 1;
        // a long contract level 2; an mleg order, or a call sold against a long call, level 3.
        var level = 1
        if order.isMultiLeg {
            level = 3
        } else if !opening.isEmpty {
            if single.side == .buy {
                level = 2
            } else if single.contract.type == .call, !afterCollateral.uncoveredShortCalls.isEmpty {
                level = 3
            }
        }
        guard optionsTradingLevel >= level else {
            throw .options(403, "account not eligible for level\(level) options trading")
        }
        // Per unit of the order, paid positive: an mleg order's net is signed already.
        let price = order.limitPrice ?? order.net(order.legs.map { optionMark($0.contract) })
        let premium = order.isMultiLeg || single.side == .buy ? price : .zero - price
        let required = premium * OptionBook.shares(order.quantity) + collateralAfter - collateralBefore
        let available = optionsBuyingPower
        guard required <= available else {
            let cashSecuredPut = !order.isMultiLeg && single.side == .sell && single.contract.type == .put
            throw .options(403, "insufficient options buying power\(cashSecuredPut ? " for cash-secured put" : "") (required: \(required), available: \(available))")
        }
        order.reservedBuyingPower = max(required, .zero)
    }
}
