import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// Trades the signal engine's kept signals. Each bar and instrument: the signal must survive the
/// intuitive criterion and clear `minConfidence` and `minProbabilityUp` (for a sell, the
/// probability of down); it then meets the position-aware gate. An entry is a bracket (market
/// entry, take-profit and stop-loss at fixed percentages) sized
///
///     notional = equity × min(maxPosition, fractionalKelly × f*) × minimax multiplier,
///     capped so the loss at the stop is at most equity × riskPerTrade,
///
/// where f* = p − (1 − p) / b is the Kelly fraction for win probability p (the signal's
/// probability of profit) and payoff ratio b = takeProfit / stopLoss. A sell while long cancels
/// the bracket legs and exits at market. Every bar with a signal leaves a decision with a reason.
public struct SignalingGameStrategy: Strategy {
    public struct Settings: Sendable, Equatable {
        public var minConfidence = 0.05
        public var minProbabilityUp = 0.55
        public var riskPerTrade = 0.02
        public var fractionalKelly = 0.25
        public var maxPosition = 0.15
        public var takeProfit = 0.04
        public var stopLoss = 0.02
        public var engine = SignalEngine.Settings()

        public init() {}
    }

    public let settings: Settings
    /// Signals recorded on exactly the bars this run will see, with the same engine settings; the
    /// engine is then not run (see `SignalTape`).
    public let tape: SignalTape?
    private var engines: [SignalEngine] = []
    private var barsSeen: [Int] = []

    public init(settings: Settings = Settings(), tape: SignalTape? = nil) {
        precondition(tape == nil || tape!.settings == settings.engine, "a signal tape recorded with other engine settings")
        self.settings = settings
        self.tape = tape
    }

    public mutating func onStart(_ context: StrategyContext) {
        engines = tape == nil ? Array(repeating: SignalEngine(settings: settings.engine), count: context.instruments.count) : []
        barsSeen = Array(repeating: 0, count: context.instruments.count)
    }

    private mutating func nextSignal(_ bar: Bar, instrument: Int) -> TradeSignal? {
        defer { barsSeen[instrument] += 1 }
        if let tape { return tape.signal(instrument: instrument, index: barsSeen[instrument]) }
        return engines[instrument].update(bar)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        guard let signal = nextSignal(bar, instrument: instrument.index) else { return }
        let note = Self.describe(signal)
        let directional = signal.direction == .buy ? signal.probabilityUp : 1 - signal.probabilityUp
        guard signal.direction != .hold else {
            context.signal(.hold, instrument, quantity: .zero, note: signal.reason + "; " + note)
            return
        }
        guard signal.confidence >= settings.minConfidence else {
            context.signal(.hold, instrument, quantity: .zero, note: "confidence_below_minimum; " + note)
            return
        }
        guard directional >= settings.minProbabilityUp else {
            context.signal(.hold, instrument, quantity: .zero, note: "probability_below_minimum; " + note)
            return
        }
        let position = context.position(instrument)
        if signal.direction == .sell && position.isLong || signal.direction == .buy && position.isShort {
            for order in context.openOrders(instrument) { context.cancel(order.id) }
        }
        let action: SignalAction = signal.direction == .buy ? .buy : .sell
        let quantity = size(signal, bar: bar, instrument: instrument, context)
        let opening = position.isFlat && (action == .buy || context.shortingAllowed)
        if opening && quantity.isZero {
            context.signal(.hold, instrument, quantity: .zero, note: "sized_to_zero (kelly or minimax multiplier is 0); " + note)
            return
        }
        let tick = context.instrument(instrument).tickSize
        let settings = self.settings
        context.signal(action, instrument, quantity: quantity, note: note) { side, size in
            let up = side == .buy
            let takeProfit = Price(approximating: bar.close.doubleValue * (up ? 1 + settings.takeProfit : 1 - settings.takeProfit))
                .rounded(toTick: tick, up: up)
            let stopLoss = Price(approximating: bar.close.doubleValue * (up ? 1 - settings.stopLoss : 1 + settings.stopLoss))
                .rounded(toTick: tick, up: !up)
            return OrderRequest(instrument: instrument, side: side, quantity: size, timeInForce: .gtc, orderClass: .bracket,
                                takeProfit: takeProfit, stopLoss: stopLoss)
        }
    }

    func size(_ signal: TradeSignal, bar: Bar, instrument: InstrumentID, _ context: StrategyContext) -> Quantity {
        let p = signal.probabilityOfProfit
        let b = settings.takeProfit / settings.stopLoss
        let kelly = max(0, p - (1 - p) / b)
        let multiplier = signal.game?.minimaxMultiplier ?? 0
        let equity = context.equity.doubleValue
        var notional = equity * min(settings.maxPosition, settings.fractionalKelly * kelly) * multiplier
        notional = min(notional, equity * settings.riskPerTrade / settings.stopLoss)
        let units = notional / bar.close.doubleValue
        guard units.isFinite, units > 0 else { return .zero }
        return Quantity(approximating: units).rounded(downToLot: context.instrument(instrument).lotSize)
    }

    static func describe(_ s: TradeSignal) -> String {
        func f(_ x: Double) -> String { String(Double(Int((x * 10_000).rounded())) / 10_000) }
        var text = "p_up=\(f(s.probabilityUp)) p_profit=\(f(s.probabilityOfProfit)) confidence=\(f(s.confidence))"
        text += " types=" + s.typePosterior.map(f).joined(separator: "/")
        if let g = s.game {
            text += " survivors=" + (g.survivors.isEmpty ? "none" : g.survivors.map(\.description).joined(separator: "+"))
            text += " multiplier=\(f(g.minimaxMultiplier))"
        }
        if let regime = s.regimeProbabilities { text += " regime=" + regime.map(f).joined(separator: "/") }
        text += " reversal=\(f(s.reversalProbability)) bb_z=\(f(s.bollingerZ))"
        return text
    }
}

extension SignalingGameStrategy: DeclaredStrategy, SignalTapeReplaying, ProbabilityThresholdAdapting {
    public static let name = "signaling-game"
    public static let summary = "forecast ensemble + market-type signaling game; intuitive-criterion filter, Kelly x minimax sizing, brackets"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("min_confidence", .decimal(0...1), default: "0.05", help: "least signal confidence to act on"),
        StrategyParameter("min_prob_up", .decimal(0...1), default: "0.55", help: "least probability of the signal's direction"),
        StrategyParameter("risk_per_trade", .decimal(0.0001...1), default: "0.02", help: "largest loss at the stop, share of equity"),
        StrategyParameter("kelly", .decimal(0...1), default: "0.25", help: "fraction of the Kelly bet"),
        StrategyParameter("max_position", .decimal(0.0001...1), default: "0.15", help: "largest position, share of equity"),
        StrategyParameter("take_profit", .decimal(0.0001...10), default: "0.04", help: "bracket take-profit distance, 0.04 for 4%"),
        StrategyParameter("stop_loss", .decimal(0.0001...0.99), default: "0.02", help: "bracket stop-loss distance"),
        StrategyParameter("horizon", .integer(1...100), default: "5", help: "forecast horizon in bars"),
        StrategyParameter("gp_window", .integer(4...500), default: "20", help: "Gaussian-process training window"),
        StrategyParameter("ar_window", .integer(10...5_000), default: "60", help: "Bayesian autoregression window"),
        StrategyParameter("short", .boolean, default: "false", help: "sell signals from flat open shorts"),
        StrategyParameter("game", .choice(SignalEngine.GameForm.allCases.map(\.rawValue)), default: SignalEngine.Settings().game.rawValue,
                          help: "payoffs and type profiles estimated from the run's own past, or the fixed earlier form"),
        StrategyParameter("discount", .decimal(0...1), default: "0.95", help: "per-step discount of the estimated game's x(t)"),
    ]
    public static let probabilityThresholdParameter = "min_prob_up"
    public static let takeProfitParameter = "take_profit"
    public static let stopLossParameter = "stop_loss"

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        var settings = Settings()
        settings.minConfidence = arguments.decimal("min_confidence") ?? settings.minConfidence
        settings.minProbabilityUp = arguments.decimal("min_prob_up") ?? settings.minProbabilityUp
        settings.riskPerTrade = arguments.decimal("risk_per_trade") ?? settings.riskPerTrade
        settings.fractionalKelly = arguments.decimal("kelly") ?? settings.fractionalKelly
        settings.maxPosition = arguments.decimal("max_position") ?? settings.maxPosition
        settings.takeProfit = arguments.decimal("take_profit") ?? settings.takeProfit
        settings.stopLoss = arguments.decimal("stop_loss") ?? settings.stopLoss
        settings.engine.horizon = arguments.integer("horizon")
        settings.engine.gpWindow = arguments.integer("gp_window")
        settings.engine.arWindow = arguments.integer("ar_window")
        settings.engine.game = arguments.text("game").flatMap(SignalEngine.GameForm.init(rawValue:)) ?? settings.engine.game
        settings.engine.discount = arguments.decimal("discount") ?? settings.engine.discount
        if arguments.flag("short") { setup.configuration.allowShort = true }
        self.init(settings: settings)
    }

    public var signalEngineSettings: SignalEngine.Settings { settings.engine }
    public var replaysTape: Bool { tape != nil }
    public func replaying(_ tape: SignalTape) -> SignalingGameStrategy { SignalingGameStrategy(settings: settings, tape: tape) }
}
