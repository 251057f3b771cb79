import PeregrineCore
import PeregrineEngine
import PeregrineIndicators
import PeregrineModels

/// Trades a trend rule only in friendly regimes. A 3-state Gaussian HMM is fitted on the first
/// `training` daily log returns (x100) and refitted every `refit` bars on the trailing window, so
/// it never sees later data; each bar the forward filter gives the regime probabilities. The trend
/// rule (fast EMA above slow EMA) buys full size in the bull state, half size in the sideways
/// state, and the bear state, or the trend turning down, goes flat.
public struct HMMRegimeStrategy: Strategy {
    public let training: Int
    public let refit: Int
    public let sizing: PositionSizing
    public let seed: UInt64
    private var states: [RegimeState] = []

    /// Per-instrument state: returns so far, the fitted model and the filtered regime probabilities.
    struct RegimeState {
        var returns: [Double] = []
        var lastClose: Double?
        var model: GaussianHiddenMarkovModel?
        var filtered: [Double]?
        var sinceFit = 0
        var fast = ExponentialMovingAverage(period: 20)
        var slow = ExponentialMovingAverage(period: 50)
    }

    public init(training: Int = 252, refit: Int = 63, sizing: PositionSizing = PositionSizing(base: .equityFraction(0.95)),
                seed: UInt64 = 0) {
        precondition(training >= 30 && refit >= 1)
        self.training = training
        self.refit = refit
        self.sizing = sizing
        self.seed = seed
    }

    public mutating func onStart(_ context: StrategyContext) {
        states = Array(repeating: RegimeState(), count: context.instruments.count)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        let close = bar.close.doubleValue
        let fast = states[i].fast.update(close)
        let slow = states[i].slow.update(close)
        defer { states[i].lastClose = close }
        guard let last = states[i].lastClose else { return }
        let r = 100 * Foundationless.log(close / last)
        states[i].returns.append(r)
        if states[i].model == nil || states[i].sinceFit >= refit {
            guard states[i].returns.count >= training else { return }
            let window = Array(states[i].returns.suffix(training))
            let fit = states[i].model?.refined(window, maxIterations: 20)
                ?? GaussianHiddenMarkovModel.fit(window, states: 3, seed: seed, restarts: 2, maxIterations: 100, tolerance: 1e-6)
            states[i].model = fit.model
            states[i].filtered = fit.model.filteredLast(window)
            states[i].sinceFit = 0
        } else if let model = states[i].model {
            states[i].filtered = model.filterStep(previous: states[i].filtered, observation: r)
            states[i].sinceFit += 1
        }
        guard let probabilities = states[i].filtered, let fast, let slow else { return }
        let regime = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
        let names = ["bear", "sideways", "bull"]
        let note = "regime=\(names[regime]) p=" + probabilities.map { String(Double(Int($0 * 1000)) / 1000) }.joined(separator: "/")
        let position = context.position(instrument)
        if regime == 0 || fast < slow {
            if position.isLong { context.signal(.sell, instrument, quantity: .zero, note: note) }
            return
        }
        guard position.isFlat else { return }
        let scale = regime == 2 ? 1.0 : 0.5
        let quantity = sizing.size(price: bar.close, equity: context.equity, lot: context.instrument(instrument).lotSize,
                                   barVolatility: nil, periodsPerYear: 252)
        let scaled = Quantity(approximating: quantity.doubleValue * scale).rounded(downToLot: context.instrument(instrument).lotSize)
        context.signal(.buy, instrument, quantity: scaled, note: note)
    }
}
