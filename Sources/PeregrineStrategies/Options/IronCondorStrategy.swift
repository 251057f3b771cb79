import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// Sells an iron condor and holds it to expiry, then sells the next: a put and a call near
/// `delta` (the put at minus it), each covered by a long option `wing` listed strikes further
/// out, expiring nearest `days` ahead, `contracts` at a time, as one four-leg order. Expiry
/// settles it (legs in the money exercised or assigned into shares, which the next bar sells or
/// buys back). Contracts are priced by the run's model (Black-Scholes on the underlying's realized
/// volatility): there are no option quotes in a backtest.
public struct IronCondorStrategy: Strategy {
    public let delta: Double
    public let wing: Int
    public let contracts: Int
    let picker: OptionContractPicker

    public init(delta: Double = 0.16, wing: Int = 2, days: Int = 30, contracts: Int = 1) {
        self.delta = delta
        self.wing = wing
        self.contracts = contracts
        picker = OptionContractPicker(days: days)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let root = context.instrument(instrument).symbol
        let book = context.options
        guard book.working(root: root).isEmpty, !book.positions.keys.contains(where: { $0.root == root }) else { return }
        let shares = context.position(instrument).quantity
        if !shares.isZero {
            // Shares left by an assignment or exercise: closed before the next condor.
            context.signal(shares.units > 0 ? .sell : .buy, instrument, quantity: shares.magnitude, note: "shares from settlement")
            return
        }
        let listed = context.optionContracts(instrument)
        guard let expiration = picker.expiration(listed, today: OptionContractPicker.today(context)),
              let shortPut = picker.nearestDelta(-delta, .put, expiration: expiration, listed: listed, context),
              let shortCall = picker.nearestDelta(delta, .call, expiration: expiration, listed: listed, context),
              shortPut.strike < shortCall.strike,
              let longPut = picker.shifted(shortPut, steps: -wing, listed: listed),
              let longCall = picker.shifted(shortCall, steps: wing, listed: listed) else { return }
        context.submitOptions([
            OptionOrder.Leg(contract: longPut, ratio: 1, side: .buy, intent: "buy_to_open"),
            OptionOrder.Leg(contract: shortPut, ratio: 1, side: .sell, intent: "sell_to_open"),
            OptionOrder.Leg(contract: shortCall, ratio: 1, side: .sell, intent: "sell_to_open"),
            OptionOrder.Leg(contract: longCall, ratio: 1, side: .buy, intent: "buy_to_open"),
        ], quantity: contracts, note: "iron condor")
    }
}

extension IronCondorStrategy: DeclaredStrategy {
    public static let name = "iron-condor"
    public static let summary = "sell an iron condor by delta, wings a few strikes out, hold to expiry, repeat (model-priced options)"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("delta", .decimal(0.01...0.49), default: "0.16", help: "the short legs' target delta (the put's is its negative)"),
        StrategyParameter("wing", .integer(1...20), default: "2", help: "listed strikes between each short leg and its long wing"),
        StrategyParameter("days", .integer(1...35), default: "30", help: "target calendar days to expiry (listed Fridays up to 5 weeks)"),
        StrategyParameter("contracts", .integer(1...10_000), default: "1", help: "condors sold at a time"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        // Assignment can leave the account short shares until the next bar buys them back.
        setup.configuration.allowShort = true
        self.init(delta: arguments.decimal("delta") ?? 0.16, wing: arguments.integer("wing"), days: arguments.integer("days"),
                  contracts: arguments.integer("contracts"))
    }
}
