import PeregrineCore
import PeregrineEngine
import PeregrineIndicators

/// Fast/slow simple-moving-average crossover on closes. A cross up (fast > slow now, fast <= slow
/// on the previous bar, both defined) signals buy; a cross down (fast < slow, fast >= slow before)
/// signals sell. Through the decision gate: long-only, it buys from flat and sells to flat; with
/// shorting on, a cross down from flat opens a short and a cross up covers it.
public struct SMACrossStrategy: Strategy {
    public let fast: Int
    public let slow: Int
    public let sizing: PositionSizing
    public let volatilityWindow: Int
    public let periodsPerYear: Double
    /// Bars before this time only warm the averages up (walk-forward windows trade from here).
    public var tradingStart: Timestamp?
    private var crosses: [MovingAverageCross] = []
    private var volatility: [RollingVolatility] = []
    /// It acts on bars only; the engine need not copy each updated order for it.
    public static var observesOrderUpdates: Bool { false }
    /// Between crossings it only updates its averages: the kernel may feed it runs of bars at once.
    public static var skipsQuietBars: Bool { true }

    public init(fast: Int = 10, slow: Int = 30, sizing: PositionSizing = PositionSizing(base: .quantity(Quantity(100))),
                volatilityWindow: Int = 20, periodsPerYear: Double = 252) {
        precondition(fast >= 1 && slow >= 1, "windows must be positive")
        self.fast = fast
        self.slow = slow
        self.sizing = sizing
        self.volatilityWindow = volatilityWindow
        self.periodsPerYear = periodsPerYear
    }

    public mutating func onStart(_ context: StrategyContext) {
        crosses = Array(repeating: MovingAverageCross(fast: fast, slow: slow), count: context.instruments.count)
        if sizing.volatilityTarget != nil {
            volatility = Array(repeating: RollingVolatility(window: volatilityWindow), count: context.instruments.count)
        }
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        if !volatility.isEmpty { volatility[i].update(bar.close) }
        guard let event = crosses[i].update(bar.close.units) else { return }
        if let start = tradingStart, bar.timestamp < start { return }
        switch event {
        case .crossUp:
            context.signal(.buy, instrument, quantity: entrySize(bar: bar, instrument: instrument, context))
        case .crossDown:
            context.signal(.sell, instrument, quantity: entrySize(bar: bar, instrument: instrument, context))
        }
    }

    public mutating func skipQuietBars(_ columns: BarSeries.Columns, from: Int, to: Int, instrument: InstrumentID) -> Int {
        guard volatility.isEmpty else { return from }  // volatility sizing reads its own state per bar
        let i = instrument.index
        var k = from
        while k < to {
            k = crosses[i].feedUntilCross(columns.closes, from: k, to: to)
            // A crossing before the trading start is not acted on (as `onBar`): fed, and on.
            guard k < to, let start = tradingStart, columns.timestamps[k] < start.nanoseconds else { return k }
            _ = crosses[i].update(columns.closes[k])
            k += 1
        }
        return k
    }

    private func entrySize(bar: Bar, instrument: InstrumentID, _ context: StrategyContext) -> Quantity {
        if case .quantity(let quantity) = sizing.base, sizing.volatilityTarget == nil { return quantity }
        let barVolatility = volatility.isEmpty || !volatility[instrument.index].isReady
            ? nil : volatility[instrument.index].standardDeviation
        return sizing.size(price: bar.close, equity: context.equity, lot: context.instrument(instrument).lotSize,
                           barVolatility: barVolatility, periodsPerYear: periodsPerYear)
    }
}

extension SMACrossStrategy: DeclaredStrategy {
    public static let name = "sma-cross"
    public static let summary = "fast/slow SMA crossover on close, long-only unless short=true"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("fast", .integer(1...100_000), default: "10", help: "fast window in bars"),
        StrategyParameter("slow", .integer(1...100_000), default: "30", help: "slow window in bars, above fast"),
    ] + PositionSizing.parameters(defaultQuantity: "100") + [
        StrategyParameter("vol_window", .integer(2...100_000), default: "20", help: "bars of returns for vol_target"),
        StrategyParameter("short", .boolean, default: "false", help: "a cross down from flat opens a short"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        let fast = arguments.integer("fast")
        let slow = arguments.integer("slow")
        guard fast < slow else { throw ConfigurationError("sma-cross needs fast < slow, got fast=\(fast) slow=\(slow)") }
        if arguments.flag("short") { setup.configuration.allowShort = true }
        self.init(fast: fast, slow: slow, sizing: try PositionSizing(arguments), volatilityWindow: arguments.integer("vol_window"),
                  periodsPerYear: setup.periodsPerYear)
    }
}
