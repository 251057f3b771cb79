import PeregrineCore
import PeregrineEngine

/// Dual momentum (Antonacci, "Dual Momentum Investing", 2014): every `rebalance` decision bars,
/// relative momentum picks the universe's symbol with the best return over `lookback` bars (ending
/// `skip` bars ago), and absolute momentum keeps it only if that return is above `threshold` (a
/// cash rate over the lookback, 0 by default). When it is not, the strategy holds the `safe`
/// symbol (bonds, say; not ranked) or, without one, cash. The holding is `percent` of equity, long
/// only.
///
/// The universe and the decision bar are as for `xs-momentum`: every `--data` series, decisions
/// on the last listed symbol's bar; sales first, purchases once they have filled.
public struct DualMomentumStrategy: Strategy {
    public let lookback: Int
    public let skip: Int
    public let rebalanceEvery: Int
    public let threshold: Double
    public let safeSymbol: String?
    public let fraction: Double
    private var rebalancer = UniverseRebalancer()
    private var safe: InstrumentID?
    /// Why the `safe` symbol is cash, until it is logged.
    private var missingSafe: String?

    public init(lookback: Int = 252, skip: Int = 0, rebalanceEvery: Int = 21, threshold: Double = 0, safeSymbol: String? = nil,
                fraction: Double = 1) {
        precondition(lookback >= 1 && skip >= 0 && rebalanceEvery >= 1, "lookback and rebalance must be positive")
        self.lookback = lookback
        self.skip = skip
        self.rebalanceEvery = rebalanceEvery
        self.threshold = threshold
        self.safeSymbol = safeSymbol
        self.fraction = fraction
    }

    public static var observesOrderUpdates: Bool { false }

    public mutating func onStart(_ context: StrategyContext) {
        guard let safeSymbol else { return }
        if let index = context.instruments.firstIndex(where: { $0.symbol.uppercased() == safeSymbol.uppercased() }) {
            safe = InstrumentID(index)
        } else {
            missingSafe = "dual_momentum_no_safe; safe=\(safeSymbol) is not a symbol of the run "
                + "(\(context.instruments.map(\.symbol).joined(separator: ", "))): cash is the safe asset"
        }
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        if let missingSafe {
            // Said once, at the first bar, so the decision carries a time of the run.
            context.signal(.hold, instrument, quantity: .zero, note: missingSafe)
            self.missingSafe = nil
        }
        guard rebalancer.isDue(instrument, every: rebalanceEvery, context) else { return }
        let ranked = context.instruments.indices.filter { $0 != safe?.index }.compactMap { index in
            UniverseRebalancer.lookbackReturn(InstrumentID(index), lookback: lookback, skip: skip, context).map { (index, $0) }
        }
        guard let best = ranked.max(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 > $1.0) }) else { return }
        var weights = Array(repeating: 0.0, count: context.instruments.count)
        let bestSymbol = context.instrument(InstrumentID(best.0)).symbol
        let note: String
        if best.1 > threshold {
            weights[best.0] = fraction
            note = "dual_momentum_risk_on; best \(bestSymbol) return_\(lookback)=\(UniverseRebalancer.rounded(best.1)) > \(threshold)"
        } else {
            if let safe { weights[safe.index] = fraction }
            note = "dual_momentum_risk_off; best \(bestSymbol) return_\(lookback)=\(UniverseRebalancer.rounded(best.1)) <= \(threshold): "
                + (safe.map { "holding \(context.instrument($0).symbol)" } ?? "holding cash")
        }
        rebalancer.rebalance(to: weights, note: note, context)
    }
}

extension DualMomentumStrategy: DeclaredStrategy {
    public static let name = "dual-momentum"
    public static let summary = "dual momentum: the best of the universe by lookback return if it beats a threshold, else a safe symbol or cash"
    public static let parameters: [StrategyParameter] = UniverseRebalancer.parameters(skip: "0") + [
        StrategyParameter("threshold", .decimal(-1...100), default: "0", help: "absolute momentum: the best return must exceed this"),
        StrategyParameter("safe", .text(example: "TLT"), help: "symbol held when absolute momentum fails (default: cash)"),
        StrategyParameter("percent", .decimal(0.000001...10), default: "1", help: "share of equity held"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        self.init(lookback: arguments.integer("lookback"), skip: arguments.integer("skip"), rebalanceEvery: arguments.integer("rebalance"),
                  threshold: arguments.decimal("threshold") ?? 0, safeSymbol: arguments.text("safe"),
                  fraction: arguments.decimal("percent") ?? 1)
    }
}
