import PeregrineCore
import PeregrineEngine
import PeregrineIndicators

/// Mean reversion: buy when RSI is oversold and the close is below the lower Bollinger band; sell
/// when RSI is overbought or the close is back above the middle band.
public struct RSIBollingerStrategy: Strategy {
    public let rsiPeriod: Int
    public let oversold: Double
    public let overbought: Double
    public let bandPeriod: Int
    public let bandWidth: Double
    public let sizing: PositionSizing
    private var rsi: [RelativeStrengthIndex] = []
    private var bands: [BollingerBands] = []

    public init(rsiPeriod: Int = 14, oversold: Double = 30, overbought: Double = 70, bandPeriod: Int = 20,
                bandWidth: Double = 2, sizing: PositionSizing = PositionSizing(base: .quantity(Quantity(100)))) {
        self.rsiPeriod = rsiPeriod
        self.oversold = oversold
        self.overbought = overbought
        self.bandPeriod = bandPeriod
        self.bandWidth = bandWidth
        self.sizing = sizing
    }

    public mutating func onStart(_ context: StrategyContext) {
        rsi = Array(repeating: RelativeStrengthIndex(period: rsiPeriod), count: context.instruments.count)
        bands = Array(repeating: BollingerBands(period: bandPeriod, width: bandWidth), count: context.instruments.count)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        let strength = rsi[i].update(bar.close)
        let band = bands[i].update(bar.close)
        guard let strength, let band else { return }
        let close = bar.close.doubleValue
        let note = "rsi=\(Int(strength.rounded())) close=\(bar.close) lower=\(band.lower) middle=\(band.middle)"
        if strength < oversold && close < band.lower {
            let quantity = sizing.size(price: bar.close, equity: context.equity, lot: context.instrument(instrument).lotSize,
                                       barVolatility: nil, periodsPerYear: 252)
            context.signal(.buy, instrument, quantity: quantity, note: "oversold_below_band; " + note)
        } else if context.position(instrument).isLong && (strength > overbought || close > band.middle) {
            context.signal(.sell, instrument, quantity: .zero, note: "reverted; " + note)
        }
    }
}

extension RSIBollingerStrategy: DeclaredStrategy {
    public static let name = "rsi-bollinger"
    public static let summary = "mean reversion: buy oversold RSI below the lower band, sell on reversion"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("rsi", .integer(2...1_000), default: "14", help: "RSI period"),
        StrategyParameter("oversold", .decimal(0...100), default: "30", help: "RSI below this is oversold"),
        StrategyParameter("overbought", .decimal(0...100), default: "70", help: "RSI above this is overbought"),
        StrategyParameter("band", .integer(2...1_000), default: "20", help: "Bollinger period"),
        StrategyParameter("width", .decimal(0.1...10), default: "2", help: "Bollinger width in deviations"),
    ] + PositionSizing.parameters(defaultQuantity: "100")

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        self.init(rsiPeriod: arguments.integer("rsi"), oversold: arguments.decimal("oversold") ?? 30,
                  overbought: arguments.decimal("overbought") ?? 70, bandPeriod: arguments.integer("band"),
                  bandWidth: arguments.decimal("width") ?? 2, sizing: try PositionSizing(arguments))
    }
}
