import PeregrineCore
import PeregrineEngine

/// Buys each instrument on its first bar and holds to the end: the benchmark every strategy
/// should beat. The position is marked at the last close, never sold.
public struct BuyAndHoldStrategy: Strategy {
    public let sizing: PositionSizing
    private var bought: [Bool] = []

    /// Default: an equal share of the starting equity per instrument.
    public init(sizing: PositionSizing? = nil) {
        self.sizing = sizing ?? PositionSizing(base: .equityFraction(1))
    }

    public mutating func onStart(_ context: StrategyContext) {
        bought = Array(repeating: false, count: context.instruments.count)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        guard !bought[instrument.index] else { return }
        bought[instrument.index] = true
        var sizing = sizing
        if case .equityFraction(let fraction) = sizing.base {
            // Leave room for the next open being above this close: size on 99% of the share.
            sizing.base = .equityFraction(fraction * 0.99 / Double(context.instruments.count))
        }
        let quantity = sizing.size(price: bar.close, equity: context.account.initialCash,
                                   lot: context.instrument(instrument).lotSize, barVolatility: nil, periodsPerYear: 252)
        context.signal(.buy, instrument, quantity: quantity)
    }
}

extension BuyAndHoldStrategy: DeclaredStrategy {
    public static let name = "buy-and-hold"
    public static let summary = "buy on the first bar, hold to the end (marked, not sold)"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("quantity", .decimal(0.000000001...1e15), help: "shares (or coins) per instrument"),
        StrategyParameter("percent", .decimal(0.000001...1), default: "1",
                          help: "share of starting equity, split across instruments (used unless quantity is given)"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        if arguments.isGiven("quantity") && arguments.isGiven("percent") {
            throw ConfigurationError("buy-and-hold takes quantity or percent, not both")
        }
        let sizing = try arguments.quantity("quantity").map { PositionSizing(base: .quantity($0)) }
            ?? PositionSizing(base: .equityFraction(arguments.decimal("percent") ?? 1))
        self.init(sizing: sizing)
    }
}
