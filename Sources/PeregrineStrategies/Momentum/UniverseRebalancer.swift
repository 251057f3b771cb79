import PeregrineCore
import PeregrineEngine

/// Moves a long-only universe to target weights of equity, in two steps: the sales first, and the
/// purchases once the sales have filled (a later bar), sized to the cash then free. Sending both at
/// once would refuse purchases for buying power the sales have not yet freed.
struct UniverseRebalancer {
    /// Weights waiting for the sales to fill, by instrument index.
    private var pendingWeights: [Double]?

    /// Whether the universe is fresh at this time: the strategy's decision bar is the last listed
    /// instrument's, once every bar of the time is in (the feed orders equal times by listing).
    static func isDecisionBar(_ instrument: InstrumentID, _ context: StrategyContext) -> Bool {
        instrument.index == context.instruments.count - 1
    }

    /// The return from `skip + lookback` bars back to `skip` bars back, when the instrument has a bar
    /// at the current time and that much history.
    static func lookbackReturn(_ instrument: InstrumentID, lookback: Int, skip: Int, _ context: StrategyContext) -> Double? {
        let history = context.history(instrument)
        guard history.count > lookback + skip, history[ago: 0].timestamp == context.now else { return nil }
        let start = history[ago: skip + lookback].close.doubleValue, end = history[ago: skip].close.doubleValue
        guard start > 0 else { return nil }
        let value = end / start - 1
        return value.isFinite ? value : nil
    }

    /// Sells what is above its weight now; buys the rest now if nothing was sold, else on a later call
    /// of `continueRebalance` once no order is working.
    mutating func rebalance(to weights: [Double], note: String, _ context: StrategyContext) {
        var sold = false
        for index in weights.indices {
            let instrument = InstrumentID(index)
            let held = context.position(instrument).quantity
            guard held.units > 0 else { continue }
            let target = Self.quantity(weight: weights[index], instrument, context)
            if held > target {
                context.submit(.market(instrument, .sell, held - target), note: note)
                sold = true
            }
        }
        pendingWeights = weights
        if !sold { buy(note: note, context) }
    }

    /// The purchases of a rebalance whose sales have now filled.
    mutating func continueRebalance(_ context: StrategyContext) {
        guard pendingWeights != nil else { return }
        for index in context.instruments.indices where !context.openOrders(InstrumentID(index)).isEmpty { return }
        buy(note: "rebalance_buy; after the sales filled", context)
    }

    private mutating func buy(note: String, _ context: StrategyContext) {
        guard let weights = pendingWeights else { return }
        pendingWeights = nil
        var cash = context.cash.doubleValue
        for index in weights.indices where weights[index] > 0 {
            let instrument = InstrumentID(index)
            let price = context.mark(instrument).doubleValue
            guard price > 0 else { continue }
            let held = context.position(instrument).quantity
            let target = Self.quantity(weight: weights[index], instrument, context)
            guard target > held else { continue }
            // Never more than the cash left, so the purchase is not refused for buying power.
            let affordable = Quantity(approximating: max(0, cash) / price).rounded(downToLot: context.instrument(instrument).lotSize)
            let size = min(target - held, affordable)
            guard size.units > 0 else { continue }
            if case .success = context.submit(.market(instrument, .buy, size), note: note) { cash -= size.doubleValue * price }
        }
    }

    private static func quantity(weight: Double, _ instrument: InstrumentID, _ context: StrategyContext) -> Quantity {
        let price = context.mark(instrument).doubleValue
        guard price > 0, weight > 0 else { return .zero }
        return Quantity(approximating: context.equity.doubleValue * weight / price).rounded(downToLot: context.instrument(instrument).lotSize)
    }
}
