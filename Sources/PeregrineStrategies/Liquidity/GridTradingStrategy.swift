import PeregrineCore
import PeregrineEngine

/// A grid trader: `levels` price lines evenly spaced from `lower` to `upper` (by default the
/// reference price ± `range`; the reference is the first close unless `reference` is given). Every
/// line below the close holds a buy limit for one level's size (`quantity`, or `percent` of equity
/// at the line); when it fills, a sell limit for that quantity rests one line higher, and when that
/// fills the line buys again. The top line only sells. Long only: the grid earns one line's spacing
/// per round trip and holds the lines bought while the price falls.
///
/// When a close falls more than `stop` below the lowest line, every grid order is canceled and the
/// inventory sold at market; the grid then stays off, or with `recenter=true` is rebuilt around the
/// next close once flat (as it also is when a flat grid's close rises above the top line).
/// Fills follow the venue's limit rule: a line fills when a later bar's range reaches it.
public struct GridTradingStrategy: Strategy {
    public let levels: Int
    public let range: Double
    public let lowerBound: Double?
    public let upperBound: Double?
    public let reference: Double?
    public let quantity: Quantity?
    public let fraction: Double?
    public let stop: Double
    public let recenter: Bool
    private var ladders: [GridLadder?] = []
    private var stopped: [Bool] = []

    public init(levels: Int = 10, range: Double = 0.1, lower: Double? = nil, upper: Double? = nil, reference: Double? = nil,
                quantity: Quantity? = Quantity(100), fraction: Double? = nil, stop: Double = 0.05, recenter: Bool = false) {
        precondition(levels >= 2, "a grid needs two lines")
        self.levels = levels
        self.range = range
        self.lowerBound = lower
        self.upperBound = upper
        self.reference = reference
        self.quantity = quantity
        self.fraction = fraction
        self.stop = stop
        self.recenter = recenter
    }

    public static var observesOrderUpdates: Bool { false }

    public mutating func onStart(_ context: StrategyContext) {
        ladders = Array(repeating: nil, count: context.instruments.count)
        stopped = Array(repeating: false, count: context.instruments.count)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        let close = bar.close.doubleValue
        guard close > 0 else { return }
        guard var ladder = ladders[i] else {
            if stopped[i] && !(recenter && context.position(instrument).isFlat) { return }
            build(instrument, around: stopped[i] ? close : (reference ?? close), recentering: stopped[i], context)
            if ladders[i] != nil { place(instrument, close: bar.close, context) }
            return
        }
        settle(&ladder, instrument, context)
        ladders[i] = ladder
        if close < ladder.lower.doubleValue * (1 - stop) {
            for id in ladder.working { context.cancel(id) }
            let held = context.position(instrument).quantity
            if held.units > 0 {
                context.submit(.market(instrument, .sell, held),
                               note: "grid_stop; close \(bar.close) below \(ladder.lower) by more than \(stop)")
            } else {
                context.signal(.hold, instrument, quantity: .zero, note: "grid_stop; close \(bar.close) below \(ladder.lower), nothing held")
            }
            ladders[i] = nil
            stopped[i] = true
            return
        }
        if recenter && ladder.isFlat && bar.close > ladder.upper {
            for id in ladder.working { context.cancel(id) }
            ladders[i] = nil
            build(instrument, around: close, recentering: true, context)
            context.signal(.hold, instrument, quantity: .zero, note: "grid_recenter; close \(bar.close) above the top line \(ladder.upper)")
        }
        place(instrument, close: bar.close, context)
    }

    /// A grid around `center`; a recentered grid ignores the fixed `lower` and `upper`.
    private mutating func build(_ instrument: InstrumentID, around center: Double, recentering: Bool, _ context: StrategyContext) {
        let lower = (recentering ? nil : lowerBound) ?? center * (1 - range)
        let upper = (recentering ? nil : upperBound) ?? center * (1 + range)
        guard lower > 0, upper > lower else {
            context.signal(.hold, instrument, quantity: .zero, note: "grid_invalid; lower \(lower) and upper \(upper) make no grid")
            stopped[instrument.index] = true
            return
        }
        let ladder = GridLadder(lower: lower, upper: upper, count: levels, tick: context.instrument(instrument).tickSize)
        guard zip(ladder.lines, ladder.lines.dropFirst()).allSatisfy({ $0 < $1 }), ladder.lower.units > 0 else {
            context.signal(.hold, instrument, quantity: .zero,
                           note: "grid_invalid; \(levels) lines from \(lower) to \(upper) are closer than the tick \(context.instrument(instrument).tickSize)")
            stopped[instrument.index] = true
            return
        }
        ladders[instrument.index] = ladder
        stopped[instrument.index] = false
    }

    /// Moves filled buys to their sells and filled sells back to idle lines.
    private func settle(_ ladder: inout GridLadder, _ instrument: InstrumentID, _ context: StrategyContext) {
        for k in ladder.lines.indices {
            if let id = ladder.buys[k], let order = context.order(id), order.status.isTerminal {
                ladder.buys[k] = nil
                ladder.held[k] += order.filledQuantity
            }
            if let id = ladder.sells[k], let order = context.order(id), order.status.isTerminal {
                ladder.sells[k] = nil
                ladder.held[k] -= order.filledQuantity
            }
        }
    }

    /// A sell one line up for each line holding inventory, a buy on each idle line below the close.
    private mutating func place(_ instrument: InstrumentID, close: Price, _ context: StrategyContext) {
        guard var ladder = ladders[instrument.index] else { return }
        let lot = context.instrument(instrument).lotSize
        for k in 0..<(ladder.lines.count - 1) {
            if ladder.held[k].units > 0, ladder.sells[k] == nil {
                let note = "grid_sell; line \(k + 1) at \(ladder.lines[k + 1]) for the \(ladder.held[k]) bought at \(ladder.lines[k])"
                ladder.sells[k] = try? context.submit(.limit(instrument, .sell, ladder.held[k], ladder.lines[k + 1]), note: note).get()
            } else if ladder.held[k].isZero, ladder.buys[k] == nil, ladder.sells[k] == nil, ladder.lines[k] < close {
                let size = fraction.map {
                    Quantity(approximating: context.equity.doubleValue * $0 / ladder.lines[k].doubleValue).rounded(downToLot: lot)
                } ?? quantity ?? .zero
                guard size.units > 0 else { continue }
                let note = "grid_buy; line \(k) at \(ladder.lines[k]), close \(close)"
                ladder.buys[k] = try? context.submit(.limit(instrument, .buy, size, ladder.lines[k]), note: note).get()
            }
        }
        ladders[instrument.index] = ladder
    }
}

extension GridTradingStrategy: DeclaredStrategy {
    public static let name = "grid"
    public static let summary = "grid trader: buy limits on lines below the price, each sold one line higher; bounds and a stop below the grid"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("levels", .integer(2...1_000), default: "10", help: "price lines from lower to upper"),
        StrategyParameter("range", .decimal(0.0001...0.99), default: "0.1", help: "lower and upper as the reference ± this share"),
        StrategyParameter("lower", .decimal(0.000000001...1e9), help: "lowest line as a price (instead of the range)"),
        StrategyParameter("upper", .decimal(0.000000001...1e9), help: "highest line as a price (instead of the range)"),
        StrategyParameter("reference", .decimal(0.000000001...1e9), help: "grid center (default: the first close)"),
        StrategyParameter("quantity", .decimal(0.000000001...1e15), default: "100", help: "shares (or coins) per line"),
        StrategyParameter("percent", .decimal(0.000001...10), help: "size per line as a share of equity, instead of quantity"),
        StrategyParameter("stop", .decimal(0...0.99), default: "0.05", help: "sell all when a close is this share below the lowest line"),
        StrategyParameter("recenter", .boolean, default: "false", help: "rebuild the grid around the close after a stop or above the top"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        if arguments.isGiven("quantity") && arguments.isGiven("percent") {
            throw ConfigurationError("grid: give quantity or percent, not both")
        }
        let lower = arguments.decimal("lower"), upper = arguments.decimal("upper")
        if let lower, let upper, lower >= upper { throw ConfigurationError("grid needs lower < upper, got lower=\(lower) upper=\(upper)") }
        let fraction = arguments.decimal("percent")
        self.init(levels: arguments.integer("levels"), range: arguments.decimal("range") ?? 0.1, lower: lower, upper: upper,
                  reference: arguments.decimal("reference"), quantity: fraction == nil ? try arguments.quantity("quantity") : nil,
                  fraction: fraction, stop: arguments.decimal("stop") ?? 0.05, recenter: arguments.flag("recenter"))
    }
}
