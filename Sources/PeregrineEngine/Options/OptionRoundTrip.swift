import PeregrineCore
import PeregrineModels

/// One option contract from flat to a position and back to flat, as `trades.csv` lists it beside
/// the stock's round trips. Quantities are contracts, prices per share, P&L in money (100 shares a
/// contract). A position closed by expiry, exercise or assignment leaves at zero, as Alpaca books
/// it: the option's P&L is the premium, and the stock an exercise or assignment delivers at the
/// strike is a stock trade of its own.
public struct OptionRoundTrip: Sendable, Equatable {
    /// How the position ended.
    public enum Exit: String, Sendable {
        case trade, expiry, exercise, assignment
    }

    public var contract: OCCSymbol
    public var direction: RoundTrip.Direction
    public var entryTime: Timestamp
    /// For a settlement, 16:00 New York on the activity's date.
    public var exitTime: Timestamp?
    public var entryContracts = 0
    public var entryNotional: Money = .zero
    public var exitContracts = 0
    public var exitNotional: Money = .zero
    public var realizedPnL: Money = .zero
    public var exit: Exit?

    public var isOpen: Bool { exitTime == nil }

    /// Average entry price per share.
    public var averageEntryPrice: Price { Self.average(entryNotional, entryContracts) }
    /// Average exit price per share; zero for a settlement.
    public var averageExitPrice: Price? { exitContracts > 0 ? Self.average(exitNotional, exitContracts) : nil }

    static func average(_ notional: Money, _ contracts: Int) -> Price {
        let shares = Int128(max(1, contracts)) * Int128(OptionBook.multiplier) * Quantity.scale
        return Price(units: Int64(clamping: notional.units / shares))
    }

    /// Every round trip of a book's contracts, closed ones by exit and open ones last: its filled
    /// orders leg by leg and its exercises, assignments and expiries, in time order.
    public static func trips(_ book: OptionBook) -> [OptionRoundTrip] {
        struct Event {
            var time: Timestamp
            var contract: OCCSymbol
            var contracts: Int  // signed: bought positive
            var price: Price
            var exit: Exit
        }
        var events: [Event] = []
        for order in book.orders where order.status == .filled {
            for leg in order.legs {
                guard let price = leg.fillPrice else { continue }
                let contracts = order.quantity * leg.ratio
                events.append(Event(time: order.updatedAt, contract: leg.contract, contracts: leg.side == .buy ? contracts : -contracts,
                                    price: price, exit: .trade))
            }
        }
        for activity in book.activities {
            let exit: Exit
            switch activity.kind {
            case .expiry: exit = .expiry
            case .exercise: exit = .exercise
            case .assignment: exit = .assignment
            case .trade: continue
            }
            guard let contract = try? OCCSymbol(activity.symbol) else { continue }
            let contracts = Int(truncatingIfNeeded: activity.quantity.units / Quantity.scale)
            events.append(Event(time: OptionPricingModel.expiry(of: activity.date), contract: contract, contracts: contracts,
                                price: .zero, exit: exit))
        }
        events.sort { ($0.time, $0.exit == .trade ? 1 : 0) < ($1.time, $1.exit == .trade ? 1 : 0) }
        var positions: [OCCSymbol: Position] = [:]
        var open: [OCCSymbol: OptionRoundTrip] = [:]
        var closed: [OptionRoundTrip] = []
        for event in events where event.contracts != 0 {
            var position = positions[event.contract] ?? Position()
            let held = OptionBook.contracts(position)
            // A trade through flat closes the trip with what it held and opens the other side with the rest.
            let closing = held == 0 || (held > 0) == (event.contracts > 0) ? 0 : min(abs(held), abs(event.contracts))
            let opening = abs(event.contracts) - closing
            if closing > 0 {
                let signed = event.contracts > 0 ? closing : -closing
                let realized = position.apply(signedQuantity: OptionBook.shares(signed), price: event.price)
                var trip = open[event.contract]
                    ?? OptionRoundTrip(contract: event.contract, direction: held > 0 ? .long : .short, entryTime: event.time)
                trip.realizedPnL += realized
                trip.exitContracts += closing
                trip.exitNotional += event.price * OptionBook.shares(closing)
                if position.isFlat {
                    trip.exitTime = event.time
                    trip.exit = event.exit
                    closed.append(trip)
                    open[event.contract] = nil
                } else {
                    open[event.contract] = trip
                }
            }
            if opening > 0 {
                let signed = event.contracts > 0 ? opening : -opening
                var trip = open[event.contract]
                    ?? OptionRoundTrip(contract: event.contract, direction: signed > 0 ? .long : .short, entryTime: event.time)
                position.apply(signedQuantity: OptionBook.shares(signed), price: event.price)
                trip.entryContracts += opening
                trip.entryNotional += event.price * OptionBook.shares(opening)
                open[event.contract] = trip
            }
            positions[event.contract] = position
        }
        return closed + open.values.sorted { ($0.entryTime, $0.contract) < ($1.entryTime, $1.contract) }
    }
}
