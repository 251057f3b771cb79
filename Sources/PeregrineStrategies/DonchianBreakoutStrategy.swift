import PeregrineCore
import PeregrineEngine
import PeregrineIndicators

/// The turtle rules' trend follower: buy when the close breaks above the highest high of the previous
/// `entry` bars (sell short below the lowest low with `short=true`); exit a long when the close falls
/// below the lowest low of the previous `exit` bars or below the stop, `stopATR` ATRs under the entry
/// fill (mirrored for a short). A unit risks `risk` of equity per ATR of movement (quantity = risk ·
/// equity / ATR), capped at `maxLeverage` times equity in notional. The channels exclude the current
/// bar, and stops are checked on the close, so every decision uses completed bars only.
public struct DonchianBreakoutStrategy: Strategy {
    public let entry: Int
    public let exit: Int
    public let atrPeriod: Int
    public let stopATR: Double
    public let risk: Double
    public let maxLeverage: Double
    private var entryChannels: [DonchianChannel] = []
    private var exitChannels: [DonchianChannel] = []
    private var ranges: [AverageTrueRange] = []
    private var previous: [(entry: Channel?, exit: Channel?)] = []
    /// The ATR when the open position was signaled, and its stop once the entry has filled.
    private var entryRange: [Double?] = []
    private var stops: [Double?] = []

    public init(entry: Int = 20, exit: Int = 10, atrPeriod: Int = 20, stopATR: Double = 2, risk: Double = 0.01,
                maxLeverage: Double = 1) {
        precondition(entry >= 1 && exit >= 1 && atrPeriod >= 1, "periods must be positive")
        self.entry = entry
        self.exit = exit
        self.atrPeriod = atrPeriod
        self.stopATR = stopATR
        self.risk = risk
        self.maxLeverage = maxLeverage
    }

    public mutating func onStart(_ context: StrategyContext) {
        let count = context.instruments.count
        entryChannels = Array(repeating: DonchianChannel(period: entry), count: count)
        exitChannels = Array(repeating: DonchianChannel(period: exit), count: count)
        ranges = Array(repeating: AverageTrueRange(period: atrPeriod), count: count)
        previous = Array(repeating: (nil, nil), count: count)
        entryRange = Array(repeating: nil, count: count)
        stops = Array(repeating: nil, count: count)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        let (entryChannel, exitChannel) = previous[i]
        previous[i] = (entryChannels[i].update(bar), exitChannels[i].update(bar))
        let range = ranges[i].update(bar)
        guard let entryChannel, let exitChannel, let range, range > 0 else { return }
        let close = bar.close.doubleValue
        let position = context.position(instrument)
        if position.isFlat {
            stops[i] = nil
            let note = "close=\(bar.close) high_\(entry)=\(entryChannel.upper) low_\(entry)=\(entryChannel.lower) atr=\(rounded(range))"
            if close > entryChannel.upper {
                entryRange[i] = range
                context.signal(.buy, instrument, quantity: size(close: close, range: range, instrument, context), note: "breakout_up; " + note)
            } else if close < entryChannel.lower && context.shortingAllowed {
                entryRange[i] = range
                context.signal(.sell, instrument, quantity: size(close: close, range: range, instrument, context), note: "breakout_down; " + note)
            }
            return
        }
        if stops[i] == nil, let fill = position.averagePrice?.doubleValue {
            let distance = stopATR * (entryRange[i] ?? range)
            stops[i] = position.isLong ? fill - distance : fill + distance
        }
        let stop = stops[i]
        if position.isLong {
            if let stop, close < stop {
                context.signal(.sell, instrument, quantity: .zero, note: "atr_stop; close=\(bar.close) stop=\(rounded(stop))")
            } else if close < exitChannel.lower {
                context.signal(.sell, instrument, quantity: .zero, note: "exit_channel; close=\(bar.close) low_\(exit)=\(exitChannel.lower)")
            }
        } else {
            if let stop, close > stop {
                context.signal(.buy, instrument, quantity: .zero, note: "atr_stop; close=\(bar.close) stop=\(rounded(stop))")
            } else if close > exitChannel.upper {
                context.signal(.buy, instrument, quantity: .zero, note: "exit_channel; close=\(bar.close) high_\(exit)=\(exitChannel.upper)")
            }
        }
    }

    /// risk · equity / ATR units, at most maxLeverage · equity of notional, rounded down to the lot.
    private func size(close: Double, range: Double, _ instrument: InstrumentID, _ context: StrategyContext) -> Quantity {
        let equity = context.equity.doubleValue
        let units = min(risk * equity / range, maxLeverage * equity / close)
        guard units.isFinite, units > 0 else { return .zero }
        return Quantity(approximating: units).rounded(downToLot: context.instrument(instrument).lotSize)
    }

    private func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}

extension DonchianBreakoutStrategy: DeclaredStrategy {
    public static let name = "donchian-breakout"
    public static let summary = "turtle rules: channel breakout entries, shorter exit channel, ATR stop and ATR sizing"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("entry", .integer(1...10_000), default: "20", help: "bars of the entry channel"),
        StrategyParameter("exit", .integer(1...10_000), default: "10", help: "bars of the exit channel"),
        StrategyParameter("atr", .integer(1...10_000), default: "20", help: "ATR period (Wilder)"),
        StrategyParameter("stop_atr", .decimal(0.01...100), default: "2", help: "stop distance from the entry fill in ATRs"),
        StrategyParameter("risk", .decimal(0.0001...1), default: "0.01", help: "share of equity risked per ATR of movement"),
        StrategyParameter("max_leverage", .decimal(0.01...10), default: "1", help: "cap on a unit's notional as a multiple of equity"),
        StrategyParameter("short", .boolean, default: "false", help: "a breakout below the entry channel opens a short"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        let entry = arguments.integer("entry"), exit = arguments.integer("exit")
        guard exit <= entry else { throw ConfigurationError("donchian-breakout needs exit <= entry, got entry=\(entry) exit=\(exit)") }
        if arguments.flag("short") { setup.configuration.allowShort = true }
        self.init(entry: entry, exit: exit, atrPeriod: arguments.integer("atr"), stopATR: arguments.decimal("stop_atr") ?? 2,
                  risk: arguments.decimal("risk") ?? 0.01, maxLeverage: arguments.decimal("max_leverage") ?? 1)
    }
}
