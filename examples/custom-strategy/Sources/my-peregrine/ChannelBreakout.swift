import PeregrineCore
import PeregrineEngine
import PeregrineIndicators

/// Buys a close above the highest high of the last `entry` bars; sells a close below the lowest
/// low of the last `exit` bars.
struct ChannelBreakout: DeclaredStrategy {
    static let name = "channel-breakout"
    static let summary = "buy a close above the N-bar high, sell a close below the M-bar low"
    static let parameters = [
        StrategyParameter("entry", .integer(2...1_000), default: "20", help: "bars of the entry channel"),
        StrategyParameter("exit", .integer(2...1_000), default: "10", help: "bars of the exit channel"),
        StrategyParameter("quantity", .decimal(0.000001...1_000_000), default: "100", help: "shares per entry"),
    ]

    let quantity: Quantity
    var highs: [RollingExtreme] = []
    var lows: [RollingExtreme] = []
    /// Each channel as of the previous bar.
    var channel: [(high: Double?, low: Double?)] = []
    let entry: Int, exit: Int

    init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        entry = arguments.integer("entry")
        exit = arguments.integer("exit")
        quantity = try arguments.quantity("quantity") ?? Quantity(100)
    }

    mutating func onStart(_ context: StrategyContext) {
        highs = Array(repeating: RollingExtreme(period: entry, maximum: true), count: context.instruments.count)
        lows = Array(repeating: RollingExtreme(period: exit, maximum: false), count: context.instruments.count)
        channel = Array(repeating: (nil, nil), count: context.instruments.count)
    }

    mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        // The channels of the bars before this one: a breakout is a close beyond them.
        let (high, low) = channel[i]
        channel[i] = (highs[i].update(bar.high.doubleValue), lows[i].update(bar.low.doubleValue))
        let close = bar.close.doubleValue
        if let high, close > high, context.position(instrument).isFlat {
            context.signal(.buy, instrument, quantity: quantity, note: "close above the \(entry)-bar high")
        } else if let low, close < low, context.position(instrument).isLong {
            context.signal(.sell, instrument, quantity: .zero, note: "close below the \(exit)-bar low")
        }
    }
}
