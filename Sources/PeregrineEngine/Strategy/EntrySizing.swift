import PeregrineCore
import PeregrineIndicators
import PeregrineRisk

/// The size of an entry a strategy signals: the `[sizing]` policy's in place of the strategy's own
/// when one is configured (learning from the closed trades), then cut by the risk engine's
/// losing-streak multiplier. Exits are never resized: they close what is held.
final class EntrySizing {
    let state: TradingState
    let risk: RiskEngine?
    /// The `[sizing]` policy, when it replaces the strategies' own entry sizes.
    @exclusivity(unchecked) var policy: SizingPolicy? { didSet { hasPolicy = policy != nil } }
    /// Whether `policy` is set, asked on every entry and fill: testing the optional itself copies
    /// the whole policy first.
    @exclusivity(unchecked) private(set) var hasPolicy = false
    /// The closed trades the policy learns from (the kernel records them while a policy is set).
    @exclusivity(unchecked) var tradeStats = SizingPolicy.TradeStats()
    /// Bars per year, to annualize volatility (set by the kernel).
    @exclusivity(unchecked) var periodsPerYear = 252.0

    init(state: TradingState, risk: RiskEngine?) {
        self.state = state
        self.risk = risk
    }

    /// The size to open with when `action` would open from a flat `position`; `requested` otherwise.
    func entrySize(_ action: SignalAction, _ instrument: InstrumentID, requested: Quantity, position: Quantity) -> Quantity {
        var quantity = requested
        if hasPolicy, let policy, position.isZero, (action == .buy || action == .sell),
           let units = policy.units(equity: state.equity.doubleValue, price: state.marks[instrument.index].doubleValue, stats: tradeStats,
                                    annualVolatility: policy.method == .volatilityTarget
                                        ? annualVolatility(instrument, window: policy.volatilityWindow) : nil) {
            quantity = units.isFinite && units > 0
                ? Quantity(approximating: units).rounded(downToLot: state.instruments[instrument.index].lotSize) : .zero
        }
        if let risk, risk.sizeMultiplier < 1, position.isZero {
            // The losing-streak cut: entries shrink until a winner.
            quantity = Quantity(approximating: quantity.doubleValue * risk.sizeMultiplier)
                .rounded(downToLot: state.instruments[instrument.index].lotSize)
        }
        return quantity
    }

    /// Annualized standard deviation of the last `window` log returns of the closes seen so far
    /// (nil with fewer than `window` + 1 closes). Computed on an entry only, so it replays the closes.
    func annualVolatility(_ instrument: InstrumentID, window: Int) -> Double? {
        let closes = state.history(instrument).closes(last: window + 1)
        guard window >= 2, closes.count == window + 1 else { return nil }
        var rolling = RollingVolatility(window: window)
        var perBar: Double?
        for close in closes { perBar = rolling.update(close) }
        return perBar.map { $0 * periodsPerYear.squareRoot() }
    }
}
