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
        guard probabilities.allSatisfy(\.isFinite) else {
            // A model that lost its footing (a state's variance collapsed on repeated returns) is
            // refitted from scratch at the next bar; until then there is no reading, so no trade.
            states[i].model = nil
            states[i].filtered = nil
            return
        }
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

extension HMMRegimeStrategy: DeclaredStrategy {
    public static let name = "hmm-regime"
    public static let summary = "EMA 20/50 trend rule only in the HMM bull (full) or sideways (half) regime"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("training", .integer(30...100_000), default: "252", help: "bars the HMM is fitted on"),
        StrategyParameter("refit", .integer(1...100_000), default: "63", help: "bars between refits"),
        StrategyParameter("percent", .decimal(0.000001...1), default: "0.95", help: "share of equity in the bull regime"),
        StrategyParameter("quantity", .decimal(0.000000001...1e15), help: "fixed shares in place of percent"),
        StrategyParameter("seed", .integer(0...Int(Int32.max)), default: "0", help: "seed of the HMM's restarts"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        if arguments.isGiven("quantity") && arguments.isGiven("percent") {
            throw ConfigurationError("hmm-regime takes quantity or percent, not both")
        }
        let sizing = try arguments.quantity("quantity").map { PositionSizing(base: .quantity($0)) }
            ?? PositionSizing(base: .equityFraction(arguments.decimal("percent") ?? 0.95))
        self.init(training: arguments.integer("training"), refit: arguments.integer("refit"), sizing: sizing,
                  seed: UInt64(arguments.integer("seed")))
    }
}
