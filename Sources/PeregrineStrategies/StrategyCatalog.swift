import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// The built-in strategies by name, with their parameters, so the command line and configuration
/// files can build and run any of them.
public enum StrategyCatalog {
    public struct Entry: Sendable {
        public var name: String
        public var summary: String
        public var parameters: String
    }

    public static let entries: [Entry] = [
        Entry(name: "sma-cross", summary: "fast/slow SMA crossover on close, long-only unless short=true",
              parameters: "fast=10 slow=30 quantity=100 | percent=0.95 (share of equity), vol_target=0.15 "
                  + "vol_window=20 max_leverage=1, short=false"),
        Entry(name: "buy-and-hold", summary: "buy on the first bar, hold to the end (marked, not sold)",
              parameters: "quantity=N | percent=1.0 (share of starting equity, split across instruments)"),
        Entry(name: "signaling-game",
              summary: "forecast ensemble + market-type signaling game; intuitive-criterion filter, Kelly x minimax sizing, brackets",
              parameters: "min_confidence=0.05 min_prob_up=0.55 risk_per_trade=0.02 kelly=0.25 max_position=0.15 "
                  + "take_profit=0.04 stop_loss=0.02 horizon=5 gp_window=20 ar_window=60 short=false"),
        Entry(name: "rsi-bollinger", summary: "mean reversion: buy oversold RSI below the lower band, sell on reversion",
              parameters: "rsi=14 oversold=30 overbought=70 band=20 width=2 quantity=100 | percent=0.95"),
        Entry(name: "bandit-sma", summary: "SMA crossover whose fast/slow pair is chosen by Thompson sampling on realized trades",
              parameters: "arms=5/20,10/30,20/60,30/100 quantity=100 seed=0"),
        Entry(name: "hmm-regime", summary: "EMA 20/50 trend rule only in the HMM bull (full) or sideways (half) regime",
              parameters: "training=252 refit=63 percent=0.95 | quantity=N seed=0"),
    ]

    public static var names: [String] { entries.map(\.name) }

    /// Builds the named strategy and runs it over `series`. A signaling-game strategy whose engine
    /// settings match `signalTape`'s replays the tape (recorded on these same `series`).
    public static func backtest(strategy name: String, parameters: StrategyParameters, series: [BarSeries],
                                configuration: BacktestConfiguration, signalTape: SignalTape? = nil)
        throws(ConfigurationError) -> BacktestResult
    {
        let calendar = configuration.venue.calendar ?? series[0].instrument.assetClass.defaultCalendar
        let periodsPerYear = configuration.periodsPerYear
            ?? BacktestConfiguration.inferredPeriodsPerYear(interval: series[0].typicalInterval, calendar: calendar)
        return try build(strategy: name, parameters: parameters, periodsPerYear: periodsPerYear, configuration: configuration,
                         visitor: BacktestRunner(series: series, signalTape: signalTape))
    }

    /// A signal tape for the named strategy on `series`, when it is a signaling-game strategy (nil
    /// otherwise): recorded with the engine settings its parameters give.
    public static func signalTape(strategy name: String, parameters: StrategyParameters, series: [BarSeries])
        throws(ConfigurationError) -> SignalTape?
    {
        struct EngineSettings: StrategyVisitor {
            func visit<S: Strategy>(_ strategy: S, configuration: BacktestConfiguration) -> SignalEngine.Settings? {
                (strategy as? SignalingGameStrategy)?.settings.engine
            }
        }
        let settings = try build(strategy: name, parameters: parameters, periodsPerYear: 252, configuration: BacktestConfiguration(),
                                 visitor: EngineSettings())
        return settings.map { SignalTape(series: series, settings: $0) }
    }

    /// Builds the named strategy from its parameters (refusing unknown ones) and hands it, with the
    /// configuration it implies (shorting, for instance), to `visitor`: a backtest runs it over
    /// history, the trading runtime runs it against a broker. `periodsPerYear` annualizes volatility.
    public static func build<Visitor: StrategyVisitor>(strategy name: String, parameters: StrategyParameters,
                                                       periodsPerYear: Double, configuration: BacktestConfiguration,
                                                       visitor: Visitor) throws(ConfigurationError) -> Visitor.Output {
        var parameters = parameters
        var configuration = configuration
        switch name {
        case "sma-cross":
            let fast = try parameters.integer("fast", default: 10, range: 1...100_000)
            let slow = try parameters.integer("slow", default: 30, range: 1...100_000)
            guard fast < slow else {
                throw ConfigurationError("sma-cross needs fast < slow, got fast=\(fast) slow=\(slow)")
            }
            let sizing = try sizing(&parameters, defaultQuantity: Quantity(100))
            let window = try parameters.integer("vol_window", default: 20, range: 2...100_000)
            if try parameters.flag("short", default: false) { configuration.allowShort = true }
            try parameters.rejectUnknown(strategy: name)
            let strategy = SMACrossStrategy(fast: fast, slow: slow, sizing: sizing, volatilityWindow: window,
                                            periodsPerYear: periodsPerYear)
            return visitor.visit(strategy, configuration: configuration)
        case "buy-and-hold":
            let quantity = try parameters.quantity("quantity")
            let percent = try parameters.number("percent", range: 0.000001...1)
            try parameters.rejectUnknown(strategy: name)
            if quantity != nil && percent != nil {
                throw ConfigurationError("buy-and-hold takes quantity or percent, not both")
            }
            let sizing = quantity.map { PositionSizing(base: .quantity($0)) }
                ?? PositionSizing(base: .equityFraction(percent ?? 1))
            return visitor.visit(BuyAndHoldStrategy(sizing: sizing), configuration: configuration)
        case "signaling-game":
            var settings = SignalingGameStrategy.Settings()
            settings.minConfidence = try parameters.number("min_confidence", range: 0...1) ?? settings.minConfidence
            settings.minProbabilityUp = try parameters.number("min_prob_up", range: 0...1) ?? settings.minProbabilityUp
            settings.riskPerTrade = try parameters.number("risk_per_trade", range: 0.0001...1) ?? settings.riskPerTrade
            settings.fractionalKelly = try parameters.number("kelly", range: 0...1) ?? settings.fractionalKelly
            settings.maxPosition = try parameters.number("max_position", range: 0.0001...1) ?? settings.maxPosition
            settings.takeProfit = try parameters.number("take_profit", range: 0.0001...10) ?? settings.takeProfit
            settings.stopLoss = try parameters.number("stop_loss", range: 0.0001...0.99) ?? settings.stopLoss
            settings.engine.horizon = try parameters.integer("horizon", default: 5, range: 1...100)
            settings.engine.gpWindow = try parameters.integer("gp_window", default: 20, range: 4...500)
            settings.engine.arWindow = try parameters.integer("ar_window", default: 60, range: 10...5_000)
            if try parameters.flag("short", default: false) { configuration.allowShort = true }
            try parameters.rejectUnknown(strategy: name)
            return visitor.visit(SignalingGameStrategy(settings: settings), configuration: configuration)
        case "rsi-bollinger":
            let period = try parameters.integer("rsi", default: 14, range: 2...1_000)
            let oversold = try parameters.number("oversold", range: 0...100) ?? 30
            let overbought = try parameters.number("overbought", range: 0...100) ?? 70
            let band = try parameters.integer("band", default: 20, range: 2...1_000)
            let width = try parameters.number("width", range: 0.1...10) ?? 2
            let sizing = try sizing(&parameters, defaultQuantity: Quantity(100))
            try parameters.rejectUnknown(strategy: name)
            let strategy = RSIBollingerStrategy(rsiPeriod: period, oversold: oversold, overbought: overbought, bandPeriod: band,
                                                bandWidth: width, sizing: sizing)
            return visitor.visit(strategy, configuration: configuration)
        case "bandit-sma":
            let text = parameters.text("arms") ?? "5/20,10/30,20/60,30/100"
            var arms: [(fast: Int, slow: Int)] = []
            for item in text.split(separator: ",") {
                let pair = item.split(separator: "/").compactMap { Int($0) }
                guard pair.count == 2, pair[0] >= 1, pair[0] < pair[1] else {
                    throw ConfigurationError("bandit-sma arms '\(text)': expected fast/slow pairs with fast < slow, e.g. 5/20,10/30")
                }
                arms.append((pair[0], pair[1]))
            }
            let quantity = try parameters.quantity("quantity") ?? Quantity(100)
            let seed = try parameters.integer("seed", default: 0, range: 0...Int(Int32.max))
            try parameters.rejectUnknown(strategy: name)
            return visitor.visit(BanditSMAStrategy(arms: arms, quantity: quantity, seed: UInt64(seed)), configuration: configuration)
        case "hmm-regime":
            let training = try parameters.integer("training", default: 252, range: 30...100_000)
            let refit = try parameters.integer("refit", default: 63, range: 1...100_000)
            let seed = try parameters.integer("seed", default: 0, range: 0...Int(Int32.max))
            let quantity = try parameters.quantity("quantity")
            let percent = try parameters.number("percent", range: 0.000001...1)
            try parameters.rejectUnknown(strategy: name)
            let sizing = quantity.map { PositionSizing(base: .quantity($0)) } ?? PositionSizing(base: .equityFraction(percent ?? 0.95))
            let strategy = HMMRegimeStrategy(training: training, refit: refit, sizing: sizing, seed: UInt64(seed))
            return visitor.visit(strategy, configuration: configuration)
        default:
            throw ConfigurationError("unknown strategy '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }

    private static func sizing(_ parameters: inout StrategyParameters, defaultQuantity: Quantity)
        throws(ConfigurationError) -> PositionSizing
    {
        let quantity = try parameters.quantity("quantity")
        let percent = try parameters.number("percent", range: 0.000001...10)
        let target = try parameters.number("vol_target", range: 0.0001...10)
        let leverage = try parameters.number("max_leverage", range: 0.01...10) ?? 1
        if quantity != nil && percent != nil {
            throw ConfigurationError("give quantity or percent, not both")
        }
        let base: PositionSizing.Base = percent.map { .equityFraction($0) } ?? .quantity(quantity ?? defaultQuantity)
        return PositionSizing(base: base, volatilityTarget: target, maxLeverage: leverage)
    }
}
