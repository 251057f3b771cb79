/// How a multi-strategy portfolio splits its capital among its sleeves at each rebalance: fixed
/// weights, the Thompson-sampling meta-controller (`ThompsonAllocator`) learning from each
/// sleeve's per-bar returns, or Hierarchical Risk Parity over the sleeves' recent returns. The same allocator serves backtests and live trading, and its state
/// (the meta-controller's posteriors and generator) is what a restart restores.
public struct SleeveAllocator: Sendable {
    public enum Rule: Sendable, Equatable {
        case staticWeights([Double])
        /// `floor`: smallest weight of a sleeve; `memory`: share of the evidence kept at each
        /// rebalance (1 keeps all, lower weighs recent returns more).
        case thompson(floor: Double, seed: UInt64, memory: Double)
        /// `HierarchicalRiskParity` on each sleeve's last `window` per-bar returns; equal weights until
        /// every sleeve has moved in two returns or more (a sleeve with no variance has no risk to balance).
        case hierarchicalRiskParity(window: Int)
    }

    /// The returns `hrp` weighs when no window is given.
    public static let defaultRiskParityWindow = 60

    /// `thompson`, `hrp[:WINDOW]` or `static:w1,w2,...` for `count` sleeves; floor, seed and memory go to Thompson.
    public static func rule(parsing text: String, count: Int, floor: Double = 0.05, seed: UInt64 = 0, memory: Double = 1)
        throws(Failure) -> Rule
    {
        if text == "thompson" {
            guard floor >= 0, floor * Double(count) <= 1 else {
                throw Failure(description: "floor \(floor) is too high for \(count) sleeves (floor × sleeves must be at most 1)")
            }
            guard memory > 0 && memory <= 1 else { throw Failure(description: "memory \(memory) must be in (0, 1]") }
            return .thompson(floor: floor, seed: seed, memory: memory)
        }
        if text == "hrp" || text.hasPrefix("hrp:") {
            let window = text == "hrp" ? defaultRiskParityWindow : Int(text.dropFirst(4))
            guard let window, window >= 2 && window <= 100_000 else {
                throw Failure(description: "allocation '\(text)': hrp:WINDOW takes a window of 2 to 100000 returns")
            }
            return .hierarchicalRiskParity(window: window)
        }
        guard text.hasPrefix("static:") else { throw Failure(description: "allocation '\(text)': use thompson, hrp[:WINDOW] or static:w1,w2,...") }
        let weights = text.dropFirst(7).split(separator: ",").map { Double($0) }
        guard weights.count == count, weights.allSatisfy({ $0 != nil && $0! >= 0 && $0!.isFinite }),
              abs(weights.reduce(0) { $0 + ($1 ?? 0) } - 1) < 1e-9 else {
            throw Failure(description: "allocation '\(text)': give \(count) non-negative weights summing to 1")
        }
        return .staticWeights(weights.map { $0! })
    }

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public let names: [String]
    public let rule: Rule

    /// Where a store keeps the meta-controller of this set of sleeves: one key per set, shared by
    /// `peregrine portfolio` and trading, so learning on history carries into a live run.
    public static func stateKey(_ names: [String]) -> String { "portfolio.allocator:" + names.joined(separator: "|") }
    /// The meta-controller as it stands (nil for static weights): save it to continue learning.
    public private(set) var thompson: ThompsonAllocator?
    /// Whether the meta-controller continues an earlier run (its first weights are then its own draw).
    private var continues = false
    /// For risk parity: each sleeve's most recent returns, the window and at most as many again (trimmed
    /// in one move when it doubles, so a bar costs an append, not a shift of the whole window).
    private var recent: [[Double]] = []

    /// Checks the rule against the sleeves; `restored` continues an earlier run's meta-controller
    /// (it must name the same sleeves).
    public init(names: [String], rule: Rule, restored: ThompsonAllocator? = nil) throws(Failure) {
        guard !names.isEmpty else { throw Failure(description: "a portfolio needs at least one sleeve") }
        self.names = names
        self.rule = rule
        switch rule {
        case .staticWeights(let given):
            guard given.count == names.count, given.allSatisfy({ $0 >= 0 && $0.isFinite }), abs(given.reduce(0, +) - 1) < 1e-9 else {
                throw Failure(description: "static weights must be \(names.count) non-negative numbers summing to 1, got \(given)")
            }
        case .thompson(let floor, let seed, let memory):
            guard floor >= 0, floor * Double(names.count) <= 1 else {
                throw Failure(description: "floor \(floor) is too high for \(names.count) sleeves (floor × sleeves must be at most 1)")
            }
            guard memory > 0 && memory <= 1 else { throw Failure(description: "memory \(memory) must be in (0, 1]") }
            if let restored {
                guard restored.strategies == names else {
                    throw Failure(description: "the saved meta-controller is for \(restored.strategies), not \(names)")
                }
                thompson = restored
                continues = true
            } else {
                thompson = ThompsonAllocator(strategies: names, floor: floor, seed: seed)
            }
        case .hierarchicalRiskParity(let window):
            guard window >= 2 else { throw Failure(description: "hrp needs a window of at least 2 returns, got \(window)") }
            recent = Array(repeating: [], count: names.count)
        }
    }

    /// The weights to start with: the static ones; for a fresh meta-controller equal shares; for a
    /// restored one, its own draw from what it learned.
    public mutating func initialWeights() -> [Double] {
        switch rule {
        case .staticWeights(let given): return given
        case .thompson:
            if continues { return rebalance() }
            return Array(repeating: 1 / Double(names.count), count: names.count)
        case .hierarchicalRiskParity:
            return Array(repeating: 1 / Double(names.count), count: names.count)
        }
    }

    /// One bar's return of every sleeve (index order of `names`).
    public mutating func observe(returns: [Double]) {
        if case .hierarchicalRiskParity(let window) = rule {
            for (k, value) in returns.enumerated() where k < recent.count {
                recent[k].append(value.isFinite ? value : 0)
                if recent[k].count >= 2 * window { recent[k].removeFirst(recent[k].count - window) }
            }
            return
        }
        guard thompson != nil else { return }
        for (k, value) in returns.enumerated() where value.isFinite { thompson!.observe(strategy: k, return: value) }
    }

    /// The weights for the next period (summing to 1).
    public mutating func rebalance() -> [Double] {
        switch rule {
        case .staticWeights(let given): return given
        case .thompson(_, _, let memory):
            let weights = thompson!.rebalance()
            if memory < 1 { thompson!.forget(keeping: memory) }
            return weights
        case .hierarchicalRiskParity(let window):
            return Self.riskParityWeights(recent.map { Array($0.suffix(window)) }) ?? Array(repeating: 1 / Double(names.count), count: names.count)
        }
    }

    /// HRP weights of aligned return windows; nil while a window is shorter than two returns or a
    /// sleeve has not moved (no variance to balance).
    static func riskParityWeights(_ windows: [[Double]]) -> [Double]? {
        guard let length = windows.first?.count, length >= 2, windows.allSatisfy({ $0.count == length }) else { return nil }
        for window in windows {
            let mean = window.reduce(0, +) / Double(length)
            let variance = window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            guard variance > 0, variance.isFinite else { return nil }
        }
        let weights = HierarchicalRiskParity.allocate(returns: windows).weights
        return weights.allSatisfy(\.isFinite) ? weights : nil
    }
}
