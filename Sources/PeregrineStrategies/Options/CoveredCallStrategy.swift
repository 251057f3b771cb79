import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// Holds the stock in 100-share lots and sells one call a lot against it: the listed call nearest
/// `delta`, expiring nearest `days` ahead. A call within `roll_days` of its expiry is bought back,
/// and the bar after it fills sells the next one; with `roll_days` 0 calls are held to expiry, where
/// one in the money is assigned (the shares go at the strike) and the stock is bought again. Contracts are priced by the run's model
/// (Black-Scholes on the stock's realized volatility): there are no option quotes in a backtest.
public struct CoveredCallStrategy: Strategy {
    public let delta: Double
    public let rollDays: Int
    public let fraction: Double
    let picker: OptionContractPicker

    public init(delta: Double = 0.3, days: Int = 30, rollDays: Int = 5, fraction: Double = 1) {
        self.delta = delta
        self.rollDays = rollDays
        self.fraction = fraction
        picker = OptionContractPicker(days: days)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let root = context.instrument(instrument).symbol
        let book = context.options
        guard book.working(root: root).isEmpty else { return }  // an option order fills on the next bar
        let today = OptionContractPicker.today(context)
        let calls = book.positions.filter { $0.key.root == root && $0.key.type == .call && $0.value.isShort }
        // Rolled on a bar before the expiration day, so the buy-back fills while the call still trades.
        if rollDays > 0, let (contract, position) = calls.first(where: { $0.key.expiration.daysSinceEpoch - today.daysSinceEpoch <= Int64(rollDays) }) {
            context.submitOptions([OptionOrder.Leg(contract: contract, ratio: 1, side: .buy, intent: "buy_to_close")],
                                  quantity: -OptionBook.contracts(position), note: "roll")
            return
        }
        let lots = Int(truncatingIfNeeded: context.position(instrument).quantity.units / (Quantity.scale * 100))
        if lots <= 0 {
            guard calls.isEmpty, bar.close > .zero else { return }
            let budget = context.equity.doubleValue * fraction * 0.98
            let buy = Int(min(max(budget / bar.close.doubleValue / 100, 0), 1e6))
            if buy > 0 { context.signal(.buy, instrument, quantity: Quantity(buy * 100), note: "shares to write calls on") }
            return
        }
        let written = calls.values.reduce(0) { $0 - OptionBook.contracts($1) }
        guard lots > written else { return }
        let listed = context.optionContracts(instrument)
        guard let expiration = picker.expiration(listed, today: today),
              let call = picker.nearestDelta(delta, .call, expiration: expiration, listed: listed, context) else { return }
        context.submitOptions([OptionOrder.Leg(contract: call, ratio: 1, side: .sell, intent: "sell_to_open")], quantity: lots - written,
                              note: "covered call")
    }
}

extension CoveredCallStrategy: DeclaredStrategy {
    public static let name = "covered-call"
    public static let summary = "hold the stock, sell a call per 100 shares by delta and days to expiry, roll before expiry (model-priced options)"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("delta", .decimal(0.01...0.99), default: "0.3", help: "the call's target delta"),
        StrategyParameter("days", .integer(1...35), default: "30", help: "target calendar days to expiry (listed Fridays up to 5 weeks)"),
        StrategyParameter("roll_days", .integer(0...30), default: "5", help: "buy the call back this many days before its expiry (0: hold it to expiry)"),
        StrategyParameter("percent", .decimal(0.01...1), default: "1", help: "share of equity held in the stock, in 100-share lots"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        let days = arguments.integer("days"), roll = arguments.integer("roll_days")
        guard roll < days else { throw ConfigurationError("covered-call needs roll_days < days, got roll_days=\(roll) days=\(days)") }
        self.init(delta: arguments.decimal("delta") ?? 0.3, days: days, rollDays: roll, fraction: arguments.decimal("percent") ?? 1)
    }
}
