import PeregrineCore
import PeregrineEngine

/// Cross-sectional momentum (Jegadeesh and Titman, "Returns to buying winners and selling losers",
/// 1993): every `rebalance` decision bars, rank the universe by the return over `lookback` bars
/// ending `skip` bars ago (skipping the latest month's short-term reversal, 21 daily bars by
/// default; 0 ranks up to the current close) and hold the `top` best, each `percent` / `top` of
/// equity, long only. Symbols without that much history, or without a bar at the decision time, are
/// not ranked; with fewer than `top` ranked, the rest of the weight stays in cash.
///
/// The universe is every `--data` series of the run. Decisions are taken on the last listed
/// symbol's bar, once every bar of that time is in, so the last symbol should trade whenever the
/// others do. Sales go out first and purchases once they have filled (`UniverseRebalancer`).
public struct CrossSectionalMomentumStrategy: Strategy {
    public let lookback: Int
    public let skip: Int
    public let top: Int
    public let rebalanceEvery: Int
    public let fraction: Double
    private var rebalancer = UniverseRebalancer()

    public init(lookback: Int = 252, skip: Int = 21, top: Int = 2, rebalanceEvery: Int = 21, fraction: Double = 1) {
        precondition(lookback >= 1 && skip >= 0 && top >= 1 && rebalanceEvery >= 1, "lookback, top and rebalance must be positive")
        self.lookback = lookback
        self.skip = skip
        self.top = top
        self.rebalanceEvery = rebalanceEvery
        self.fraction = fraction
    }

    public static var observesOrderUpdates: Bool { false }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        guard rebalancer.isDue(instrument, every: rebalanceEvery, context) else { return }
        let ranked = context.instruments.indices.compactMap { index in
            UniverseRebalancer.lookbackReturn(InstrumentID(index), lookback: lookback, skip: skip, context).map { (index, $0) }
        }.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        guard !ranked.isEmpty else { return }
        let chosen = ranked.prefix(top)
        var weights = Array(repeating: 0.0, count: context.instruments.count)
        for (index, _) in chosen { weights[index] = fraction / Double(top) }
        let note = "rebalance; top \(top) of \(ranked.count) by return_\(lookback)_skip_\(skip): "
            + chosen.map { "\(context.instrument(InstrumentID($0.0)).symbol)=\(UniverseRebalancer.rounded($0.1))" }.joined(separator: " ")
        rebalancer.rebalance(to: weights, note: note, context)
    }
}

extension CrossSectionalMomentumStrategy: DeclaredStrategy {
    public static let name = "xs-momentum"
    public static let summary = "cross-sectional momentum: hold the top N of the universe by lookback return, equal weight, rebalanced every K bars"
    public static let parameters: [StrategyParameter] = UniverseRebalancer.parameters(skip: "21") + [
        StrategyParameter("top", .integer(1...10_000), default: "2", help: "symbols held"),
        StrategyParameter("percent", .decimal(0.000001...10), default: "1", help: "share of equity invested, split equally"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        self.init(lookback: arguments.integer("lookback"), skip: arguments.integer("skip"), top: arguments.integer("top"),
                  rebalanceEvery: arguments.integer("rebalance"), fraction: arguments.decimal("percent") ?? 1)
    }
}
