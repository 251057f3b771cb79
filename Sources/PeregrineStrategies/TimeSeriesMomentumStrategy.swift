import PeregrineCore
import PeregrineEngine
import PeregrineIndicators

/// Time-series momentum (Moskowitz, Ooi and Pedersen, "Time series momentum", 2012): long while the
/// close is above the close `lookback` bars earlier, flat otherwise (short with `short=true`). The
/// position is sized so its annualized volatility, from the last `volatilityWindow` log returns, is
/// `volatilityTarget` (at most `maxLeverage` times `fraction` of equity), and resized by an explicit
/// order when the target drifts more than `band` (0.25: 25%) from the position held, so risk stays
/// near the target as volatility changes.
public struct TimeSeriesMomentumStrategy: Strategy {
    public let lookback: Int
    public let volatilityWindow: Int
    public let volatilityTarget: Double
    public let fraction: Double
    public let maxLeverage: Double
    public let band: Double
    public let periodsPerYear: Double
    private var closes: [LagBuffer<Double>] = []
    private var volatility: [RollingVolatility] = []

    public init(lookback: Int = 252, volatilityWindow: Int = 60, volatilityTarget: Double = 0.15, fraction: Double = 1,
                maxLeverage: Double = 1, band: Double = 0.25, periodsPerYear: Double = 252) {
        precondition(lookback >= 1 && volatilityWindow >= 2, "windows must be positive")
        self.lookback = lookback
        self.volatilityWindow = volatilityWindow
        self.volatilityTarget = volatilityTarget
        self.fraction = fraction
        self.maxLeverage = maxLeverage
        self.band = band
        self.periodsPerYear = periodsPerYear
    }

    public mutating func onStart(_ context: StrategyContext) {
        closes = Array(repeating: LagBuffer(capacity: lookback + 1, filler: 0), count: context.instruments.count)
        volatility = Array(repeating: RollingVolatility(window: volatilityWindow), count: context.instruments.count)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        let close = bar.close.doubleValue
        closes[i].push(close)
        guard let barVolatility = volatility[i].update(bar.close), closes[i].isFull else { return }
        let lookbackReturn = close / closes[i][ago: lookback] - 1
        let annual = barVolatility * periodsPerYear.squareRoot()
        let scale = annual > 0 ? min(maxLeverage, volatilityTarget / annual) : maxLeverage
        let target = Quantity(approximating: max(0, context.equity.doubleValue * fraction * scale / close))
            .rounded(downToLot: context.instrument(instrument).lotSize)
        let note = "return_\(lookback)=\(rounded(lookbackReturn)) vol=\(rounded(annual)) target=\(target)"
        let position = context.position(instrument)
        if lookbackReturn > 0 {
            if position.isShort {
                context.signal(.buy, instrument, quantity: .zero, note: "momentum_up; " + note)
            } else if position.isFlat {
                context.signal(.buy, instrument, quantity: target, note: "momentum_up; " + note)
            } else {
                resize(instrument, held: position.quantity, target: target, context)
            }
        } else {
            if position.isLong {
                context.signal(.sell, instrument, quantity: .zero, note: "momentum_down; " + note)
            } else if position.isFlat {
                if context.shortingAllowed { context.signal(.sell, instrument, quantity: target, note: "momentum_down; " + note) }
            } else {
                resize(instrument, held: position.quantity, target: .zero - target, context)
            }
        }
    }

    /// An order for the difference when the signed target is more than `band` away from the signed
    /// position held (and no order is working).
    private func resize(_ instrument: InstrumentID, held: Quantity, target: Quantity, _ context: StrategyContext) {
        guard context.openOrders(instrument).isEmpty, target != .zero else { return }
        let heldUnits = held.doubleValue, targetUnits = target.doubleValue
        guard abs(targetUnits - heldUnits) > band * abs(heldUnits) else { return }
        let difference = target - held
        let side: OrderSide = difference > .zero ? .buy : .sell
        let size = difference > .zero ? difference : .zero - difference
        context.submit(.market(instrument, side, size))
    }

    private func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}

extension TimeSeriesMomentumStrategy: DeclaredStrategy {
    public static let name = "ts-momentum"
    public static let summary = "time-series momentum: long while the lookback return is positive, sized to a volatility target"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("lookback", .integer(1...10_000), default: "252", help: "bars of the momentum return"),
        StrategyParameter("vol_window", .integer(2...10_000), default: "60", help: "bars of log returns for the volatility"),
        StrategyParameter("vol_target", .decimal(0.001...10), default: "0.15", help: "annualized volatility of the position, 0.15 for 15%"),
        StrategyParameter("percent", .decimal(0.000001...10), default: "1", help: "equity share at a volatility scale of 1"),
        StrategyParameter("max_leverage", .decimal(0.01...10), default: "1", help: "cap on the volatility scale"),
        StrategyParameter("band", .decimal(0...100), default: "0.25", help: "resize when the target differs from the position by more than this share"),
        StrategyParameter("short", .boolean, default: "false", help: "a negative lookback return opens a short"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        if arguments.flag("short") { setup.configuration.allowShort = true }
        self.init(lookback: arguments.integer("lookback"), volatilityWindow: arguments.integer("vol_window"),
                  volatilityTarget: arguments.decimal("vol_target") ?? 0.15, fraction: arguments.decimal("percent") ?? 1,
                  maxLeverage: arguments.decimal("max_leverage") ?? 1, band: arguments.decimal("band") ?? 0.25,
                  periodsPerYear: setup.periodsPerYear)
    }
}
