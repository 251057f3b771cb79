import PeregrineCore
import PeregrineEngine

/// Moves a long-only universe to target weights of equity, in two steps: the sales first, and the
/// purchases once the sales have filled (a later bar), sized to the cash then free. Sending both at
/// once would refuse purchases for buying power the sales have not yet freed. A symbol without a bar
/// at the decision time (its data ended, a halt) is left as it is: an order for it could not fill.
struct UniverseRebalancer {
    /// Weights waiting for the sales to fill, by instrument index.
    private var pendingWeights: [Double]?
    /// The sales of the pending rebalance.
    private var sales: [OrderID] = []
    /// Decision bars the purchases have waited for the sales.
    private var waited = 0
    /// After this many decision bars the purchases go out with the cash there is.
    static let maximumWait = 3
    /// Decision bars since the last rebalance (nil before the first).
    private var sinceRebalance: Int?

    /// At the universe's decision bar: carries on a rebalance whose purchases wait, and says whether
    /// a new one is due (`every` decision bars after the last; at once before the first).
    mutating func isDue(_ instrument: InstrumentID, every: Int, _ context: StrategyContext) -> Bool {
        guard Self.isDecisionBar(instrument, context) else { return false }
        continueRebalance(context)
        if let since = sinceRebalance, since + 1 < every {
            sinceRebalance = since + 1
            return false
        }
        return true
    }

    /// The parameters both momentum rotations take: the ranking window and the schedule.
    static func parameters(skip: String) -> [StrategyParameter] {
        [
            StrategyParameter("lookback", .integer(1...10_000), default: "252", help: "bars of the momentum return"),
            StrategyParameter("skip", .integer(0...10_000), default: skip, help: "latest bars left out of the momentum return"),
            StrategyParameter("rebalance", .integer(1...10_000), default: "21", help: "decision bars between rebalances"),
        ]
    }

    /// Whether the instrument has a bar at the current time.
    static func isFresh(_ instrument: InstrumentID, _ context: StrategyContext) -> Bool {
        let history = context.history(instrument)
        return history.count > 0 && history[ago: 0].timestamp == context.now
    }

    /// Whether the universe is fresh at this time: the strategy's decision bar is the last listed
    /// instrument's, once every bar of the time is in (the feed orders equal times by listing).
    static func isDecisionBar(_ instrument: InstrumentID, _ context: StrategyContext) -> Bool {
        instrument.index == context.instruments.count - 1
    }

    /// The return from `skip + lookback` bars back to `skip` bars back, when the instrument has a bar
    /// at the current time and that much history.
    static func lookbackReturn(_ instrument: InstrumentID, lookback: Int, skip: Int, _ context: StrategyContext) -> Double? {
        let history = context.history(instrument)
        guard history.count > lookback + skip, isFresh(instrument, context) else { return nil }
        let start = history[ago: skip + lookback].close.doubleValue, end = history[ago: skip].close.doubleValue
        guard start > 0 else { return nil }
        let value = end / start - 1
        return value.isFinite ? value : nil
    }

    /// A return for a decision's note, to four decimals.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    /// Sells what is above its weight now; buys the rest now if nothing was sold, else on a later call
    /// of `continueRebalance` once no order is working.
    mutating func rebalance(to weights: [Double], note: String, _ context: StrategyContext) {
        sinceRebalance = 0
        sales = []
        waited = 0
        for index in weights.indices {
            let instrument = InstrumentID(index)
            let held = context.position(instrument).quantity
            guard held.units > 0, Self.isFresh(instrument, context), context.openOrders(instrument).isEmpty else { continue }
            let target = Self.quantity(weight: weights[index], instrument, context)
            if held > target, case .success(let id) = context.submit(.market(instrument, .sell, held - target), note: note) {
                sales.append(id)
            }
        }
        pendingWeights = weights
        if sales.isEmpty { buy(note: note, context) }
    }

    /// The purchases of a rebalance whose sales have now filled (or have waited `maximumWait` bars).
    mutating func continueRebalance(_ context: StrategyContext) {
        guard pendingWeights != nil else { return }
        waited += 1
        let selling = sales.contains { context.order($0)?.status.isWorking == true }
        guard !selling || waited >= Self.maximumWait else { return }
        buy(note: selling ? "rebalance_buy; sales still working after \(waited) bars" : "rebalance_buy; after the sales filled", context)
    }

    private mutating func buy(note: String, _ context: StrategyContext) {
        guard let weights = pendingWeights else { return }
        pendingWeights = nil
        var cash = context.cash.doubleValue
        for index in weights.indices where weights[index] > 0 && Self.isFresh(InstrumentID(index), context) {
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
