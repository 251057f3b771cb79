import PeregrineCore

/// Chooses a signal threshold from realized trades: for each candidate threshold t, the trades whose
/// signal probability was at least t give a Beta(1 + wins, 1 + losses) posterior of the win rate,
/// and the evidence of an edge is the posterior probability that the win rate beats the break-even
/// rate. Among thresholds with at least `minTrades` trades and that probability at or above
/// `confidence`, the one with the largest expected total edge, trades × (posterior mean win rate −
/// break-even): lowering the threshold past the point where the marginal trades lose shrinks it,
/// even while the trades as a whole still pay. If none is confident, the threshold with the
/// strongest evidence; with too few trades anywhere, the current one. The move from the current
/// threshold is capped at `maxStep`, so one unlucky stretch cannot swing it far.
public struct ThresholdCalibration: Sendable {
    public struct Trade: Sendable, Equatable {
        /// The signal's probability for the side traded, at entry.
        public var probability: Double
        public var won: Bool

        public init(probability: Double, won: Bool) {
            self.probability = probability
            self.won = won
        }
    }

    public struct Candidate: Sendable, Equatable {
        public var threshold: Double
        public var trades: Int
        public var wins: Int
        /// P(win rate > break-even | the trades at or above the threshold).
        public var edgeProbability: Double
    }

    public struct Outcome: Sendable {
        public var candidates: [Candidate]
        public var breakEven: Double
        /// Where the evidence points, before the step cap.
        public var target: Double
        public var threshold: Double
        public var reason: String
    }

    public var candidates: [Double]
    public var minTrades = 20
    public var confidence = 0.9
    public var maxStep = 0.05

    public init(candidates: [Double] = stride(from: 0.5, through: 0.8001, by: 0.01).map { ($0 * 100).rounded() / 100 }) {
        precondition(!candidates.isEmpty)
        self.candidates = candidates.sorted()
    }

    public func recommend(trades: [Trade], breakEven: Double, current: Double) -> Outcome {
        precondition(breakEven > 0 && breakEven < 1)
        let table = candidates.map { t -> Candidate in
            let chosen = trades.filter { $0.probability >= t }
            let wins = chosen.filter(\.won).count
            return Candidate(threshold: t, trades: chosen.count, wins: wins,
                             edgeProbability: Self.betaUpperTail(above: breakEven, wins: wins, losses: chosen.count - wins))
        }
        let informative = table.filter { $0.trades >= minTrades }
        var target = current
        var reason: String
        func expectedEdge(_ c: Candidate) -> Double { Double(c.trades) * (Double(c.wins + 1) / Double(c.trades + 2) - breakEven) }
        if let best = informative.filter({ $0.edgeProbability >= confidence }).max(by: { expectedEdge($0) < expectedEdge($1) }) {
            target = best.threshold
            reason = "largest expected edge among thresholds whose trades beat break-even with probability ≥ \(confidence)"
        } else if let strongest = informative.max(by: { $0.edgeProbability < $1.edgeProbability }) {
            target = strongest.threshold
            reason = "no threshold reaches \(confidence); the one with the strongest evidence"
        } else {
            reason = "fewer than \(minTrades) trades at every threshold; unchanged"
        }
        let threshold = current + min(maxStep, max(-maxStep, target - current))
        if threshold != target { reason += " (moved at most \(maxStep))" }
        return Outcome(candidates: table, breakEven: breakEven, target: target, threshold: threshold, reason: reason)
    }

    /// P(θ > q) for θ ~ Beta(1 + wins, 1 + losses). With whole-number parameters the Beta tail is a
    /// binomial sum: P(θ > q) = P(Binomial(wins + losses + 1, q) ≤ wins), summed in logs.
    public static func betaUpperTail(above q: Double, wins: Int, losses: Int) -> Double {
        precondition(wins >= 0 && losses >= 0 && q > 0 && q < 1)
        let n = wins + losses + 1
        let logQ = Foundationless.log(q), log1mQ = Foundationless.log(1 - q)
        var logChoose = 0.0  // log C(n, 0)
        var total = 0.0
        for j in 0...wins {
            if j > 0 { logChoose += Foundationless.log(Double(n - j + 1)) - Foundationless.log(Double(j)) }
            total += Foundationless.exp(logChoose + Double(j) * logQ + Double(n - j) * log1mQ)
        }
        return min(1, total)
    }
}
