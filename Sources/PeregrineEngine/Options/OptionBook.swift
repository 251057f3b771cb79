import PeregrineCore
import PeregrineModels

/// The option side of an account (the local exchange's, or a backtest's): positions by contract, the
/// cash premiums moved, the option orders and the option activities. Plain values, no I/O: its owner
/// asks it to fill, exercise and settle, and books the stock that exercise and assignment deliver.
///
/// A position's quantity is in shares (contracts times 100) and its price per share, so cost,
/// market value and P&L are exact `Money` by the same arithmetic as stock.
public struct OptionBook: Sendable {
    /// Shares per contract.
    public static let multiplier = 100

    /// Stock that an exercise or assignment delivers: bought or sold at the strike.
    public struct Delivery: Sendable, Equatable {
        public var underlying: String
        public var side: OrderSide
        public var shares: Quantity
        public var price: Price
    }

    public private(set) var positions: [OCCSymbol: Position] = [:]
    /// Premiums paid (negative) and received (positive), net.
    public private(set) var cash: Money = .zero
    public private(set) var orders: [OptionOrder] = []
    public private(set) var activities: [OptionActivity] = []

    public init() {}

    /// Shares for `contracts` contracts.
    public static func shares(_ contracts: Int) -> Quantity { Quantity(contracts * multiplier) }

    /// Whole contracts of a position (signed).
    public static func contracts(_ position: Position) -> Int {
        Int(truncatingIfNeeded: position.quantity.units / (Quantity.scale * Int128(multiplier)))
    }

    /// Working orders on `root`, by place in `orders`.
    public func working(root: String) -> [Int] {
        orders.indices.filter { orders[$0].status.isWorking && orders[$0].root == root }
    }

    public mutating func add(_ order: OptionOrder) { orders.append(order) }

    public mutating func cancel(_ index: Int, at time: Timestamp) -> Bool {
        guard orders[index].status.isWorking else { return false }
        orders[index].status = .canceled
        orders[index].updatedAt = time
        return true
    }

    /// Expires the working day orders on `root` whose session is over at a bar of the underlying
    /// in `session` (binding those sent after a close to this session). Returns their places.
    public mutating func expireDayOrders(root: String, session: SessionPosition, at time: Timestamp) -> [Int] {
        var expired: [Int] = []
        for index in working(root: root) where orders[index].outlivesDay(at: session) {
            orders[index].status = .expired
            orders[index].updatedAt = time
            expired.append(index)
        }
        return expired
    }

    /// Options buying power held by the working orders.
    public var reservedBuyingPower: Money {
        orders.reduce(Money.zero) { $0 + ($1.status.isWorking ? $1.reservedBuyingPower : .zero) }
    }

    /// Fills order `index` with these leg prices (per share, in leg order) if its limit allows:
    /// every leg trades its ratio times the order's quantity and the premiums move the cash.
    /// Returns whether it filled.
    public mutating func fill(_ index: Int, legPrices: [Price], at time: Timestamp) -> Bool {
        let order = orders[index]
        guard order.status.isWorking, legPrices.count == order.legs.count else { return false }
        let net = order.net(legPrices)
        guard order.accepts(net) else { return false }
        for (k, leg) in order.legs.enumerated() {
            let shares = Self.shares(order.quantity * leg.ratio)
            let signed = leg.side == .buy ? shares : -shares
            positions[leg.contract, default: Position()].apply(signedQuantity: signed, price: legPrices[k])
            cash -= legPrices[k] * signed
            orders[index].legs[k].fillPrice = legPrices[k]
            if positions[leg.contract]?.isFlat == true { positions[leg.contract] = nil }
        }
        orders[index].status = .filled
        orders[index].fillPrice = net
        orders[index].updatedAt = time
        return true
    }

    /// Closes a position in `contract` without cash for the contract itself (an exercise, an
    /// assignment or an expiry), records the event and, unless it expired, the stock trade at the
    /// strike it causes. Returns the delivery, nil for an expiry.
    private mutating func close(_ contract: OCCSymbol, kind: OptionActivity.Kind, on date: CivilDate) -> Delivery? {
        guard let position = positions[contract], !position.isFlat else { return nil }
        positions[contract] = nil
        let contracts = Self.contracts(position)
        activities.append(OptionActivity(number: activities.count + 1, kind: kind, date: date, symbol: contract.description,
                                         quantity: Quantity(-contracts), price: nil, netAmount: .zero))
        guard kind != .expiry else { return nil }
        // A long call and a short put take the stock; a long put and a short call give it.
        let buys = (contract.type == .call) == (contracts > 0)
        let shares = Self.shares(abs(contracts))
        let delivery = Delivery(underlying: contract.root, side: buys ? .buy : .sell, shares: shares, price: contract.strike)
        activities.append(OptionActivity(number: activities.count + 1, kind: .trade, date: date, symbol: contract.root,
                                         quantity: buys ? shares : -shares, price: contract.strike,
                                         netAmount: buys ? -(contract.strike * shares) : contract.strike * shares))
        return delivery
    }

    /// Exercises every held long contract of `contract` now (Alpaca's `POST .../exercise`); nil when
    /// no long position is held.
    public mutating func exercise(_ contract: OCCSymbol, on date: CivilDate) -> Delivery? {
        guard let position = positions[contract], position.isLong else { return nil }
        return close(contract, kind: .exercise, on: date)
    }

    /// Settles the contracts on `root` that expired before `day`, with the underlying's last close
    /// on or before their expiration: one in the money by at least a cent is exercised (long) or
    /// assigned (short) into 100 shares a contract at the strike, the rest expire worthless; working
    /// orders on them are canceled. Returns the deliveries in contract order.
    public mutating func settle(root: String, before day: CivilDate, close: Price, at time: Timestamp) -> [Delivery] {
        let due = positions.keys.filter { $0.root == root && $0.expiration < day }.sorted()
        var deliveries: [Delivery] = []
        for contract in due {
            let depth = contract.type == .call ? close - contract.strike : contract.strike - close
            let inTheMoney = depth.units >= Price.scale / 100
            let kind: OptionActivity.Kind = !inTheMoney ? .expiry : (positions[contract]?.isLong == true ? .exercise : .assignment)
            if let delivery = self.close(contract, kind: kind, on: contract.expiration) { deliveries.append(delivery) }
        }
        for index in working(root: root) where orders[index].legs.contains(where: { $0.contract.expiration < day }) {
            orders[index].status = .expired
            orders[index].updatedAt = time
        }
        return deliveries
    }

    // MARK: - What a broker reports

    /// The place in `orders` of the order with this client order id.
    public func index(clientOrderID: String) -> Int? { orders.firstIndex { $0.clientOrderID == clientOrderID } }

    /// A working order the broker ended without a fill (canceled, expired, rejected).
    public mutating func end(_ index: Int, as status: OrderStatus, at time: Timestamp) {
        guard orders[index].status.isWorking, status.isTerminal, status != .filled else { return }
        orders[index].status = status
        orders[index].updatedAt = time
    }

    /// Closes the position in `contract` as the broker reports it (an exercise, an assignment or an
    /// expiry), with the activity and, unless it expired, the stock delivery at the strike; nil
    /// when no position is held (already closed: a report read twice changes nothing).
    public mutating func settle(_ contract: OCCSymbol, as kind: OptionActivity.Kind, on date: CivilDate) -> Delivery? {
        guard kind != .trade else { return nil }
        return close(contract, kind: kind, on: date)
    }

    /// A position the broker holds from before this run (found on restart): `contracts` (signed) at
    /// `averagePrice` per share. Its premium was paid or received before, in the account's cash.
    public mutating func adopt(_ contract: OCCSymbol, contracts: Int, averagePrice: Price) {
        guard contracts != 0, abs(contracts) <= 1_000_000 else { return }
        var position = Position()
        position.apply(signedQuantity: Self.shares(contracts), price: averagePrice)
        positions[contract] = position
    }

    /// Market value at per-share marks, long and short apart.
    public func value(marks: (OCCSymbol) -> Price) -> (long: Money, short: Money) {
        var long = Money.zero, short = Money.zero
        for (contract, position) in positions {
            let value = marks(contract) * position.quantity
            if position.isLong { long += value } else { short += value }
        }
        return (long, short)
    }
}
