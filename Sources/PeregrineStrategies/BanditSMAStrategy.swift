import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineIndicators
import PeregrineModels

/// SMA crossover whose arm, a (fast, slow) pair, is chosen by a bandit on realized trades. Every
/// arm's crossover detector runs on every bar; the strategy trades the current arm's signals. When
/// a round trip closes, its outcome (a win, or its return) updates that arm and a new arm is chosen
/// for the next entry, by Thompson sampling (default), UCB1 or epsilon-greedy. An arm sizes its
/// entries by the fixed quantity, or, marked volatility-target, as the share of equity that puts the
/// position at `vol_target` annual volatility (at most all of it). The bandit state is Codable, so a
/// restart continues learning.
public struct BanditSMAStrategy: Strategy {
    public struct Arm: Sendable, Equatable {
        public var fast: Int
        public var slow: Int
        /// Sized to the volatility target rather than the fixed quantity.
        public var volatilityTarget: Bool

        public init(fast: Int, slow: Int, volatilityTarget: Bool = false) {
            self.fast = fast
            self.slow = slow
            self.volatilityTarget = volatilityTarget
        }
    }

    public let arms: [Arm]
    public let quantity: Quantity
    /// The sizing of volatility-target arms: all of equity scaled by target / annual volatility, at most 1.
    public let targetSizing: PositionSizing
    public let volatilityWindow: Int
    public let periodsPerYear: Double
    public private(set) var bandit: TradeBandit
    private var generator: SeededGenerator
    private var detectors: [[MovingAverageCross]] = []
    private var volatility: [RollingVolatility] = []
    private var current: [Int] = []
    private var entryValue: [Money?] = []

    public init(arms: [Arm], quantity: Quantity = Quantity(100), seed: UInt64 = 0, bandit: TradeBandit? = nil,
                volatilityTarget: Double = 0.15, volatilityWindow: Int = 20, periodsPerYear: Double = 252) {
        precondition(!arms.isEmpty && arms.allSatisfy { $0.fast < $0.slow })
        self.arms = arms
        self.quantity = quantity
        self.bandit = bandit ?? TradeBandit(algorithm: .thompson, reward: .win, arms: arms.count)
        precondition(self.bandit.arms == arms.count)
        self.generator = SeededGenerator(seed: seed)
        self.targetSizing = PositionSizing(base: .equityFraction(1), volatilityTarget: volatilityTarget, maxLeverage: 1)
        self.volatilityWindow = volatilityWindow
        self.periodsPerYear = periodsPerYear
    }

    public mutating func onStart(_ context: StrategyContext) {
        let n = context.instruments.count
        detectors = Array(repeating: arms.map { MovingAverageCross(fast: $0.fast, slow: $0.slow) }, count: n)
        if arms.contains(where: \.volatilityTarget) { volatility = Array(repeating: RollingVolatility(window: volatilityWindow), count: n) }
        current = (0..<n).map { _ in bandit.select(&generator) }
        entryValue = Array(repeating: nil, count: n)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        if !volatility.isEmpty { volatility[i].update(bar.close) }
        var event: MovingAverageCross.Event?
        for k in arms.indices {
            let e = detectors[i][k].update(bar.close.units)
            if k == current[i] { event = e }
        }
        let arm = arms[current[i]]
        let label = "arm \(current[i]) (\(arm.fast)/\(arm.slow)\(arm.volatilityTarget ? " vol-target" : ""))"
        switch event {
        case .crossUp?:
            context.signal(.buy, instrument, quantity: entrySize(arm, bar: bar, instrument: instrument, context), note: label + " crossed up")
        case .crossDown? where !context.position(instrument).isFlat:
            // Only an exit, of the whole position: a fresh arm's down-cross while flat is not a short signal.
            context.signal(.sell, instrument, quantity: context.position(instrument).quantity, note: label + " crossed down")
        case .crossDown?, nil:
            break
        }
    }

    private func entrySize(_ arm: Arm, bar: Bar, instrument: InstrumentID, _ context: StrategyContext) -> Quantity {
        guard arm.volatilityTarget else { return quantity }
        let window = volatility[instrument.index]
        return targetSizing.size(price: bar.close, equity: context.equity, lot: context.instrument(instrument).lotSize,
                                 barVolatility: window.isReady ? window.standardDeviation : nil, periodsPerYear: periodsPerYear)
    }

    public mutating func onFill(_ fill: Fill, _ context: StrategyContext) {
        let i = fill.instrument.index
        let position = context.position(fill.instrument)
        if fill.side == .buy {
            entryValue[i] = (entryValue[i] ?? .zero) + fill.notional + fill.commission
        } else if position.isFlat, let cost = entryValue[i] {
            let proceeds = fill.notional - fill.commission
            bandit.update(arm: current[i], won: proceeds > cost, return: proceeds.doubleValue / cost.doubleValue - 1)
            entryValue[i] = nil
            current[i] = bandit.select(&generator)
        }
    }
}

extension BanditSMAStrategy: ResumableStrategy {
    /// The arms' learning; the arm chosen next follows from it at the next start. Thompson sampling
    /// on wins keeps its Beta posteriors as they always were stored.
    public var resumableState: String {
        get throws {
            let data: Data
            switch bandit.state {
            case .thompsonBeta(let b): data = try JSONEncoder().encode(b)
            case .thompsonGaussian(let b): data = try JSONEncoder().encode(b)
            case .ucb1(let b): data = try JSONEncoder().encode(b)
            case .epsilonGreedy(let b): data = try JSONEncoder().encode(b)
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    public mutating func resume(from state: String) throws {
        let data = Data(state.utf8)
        var saved = bandit
        switch bandit.state {
        case .thompsonBeta: saved.state = .thompsonBeta(try JSONDecoder().decode(ThompsonBetaBandit.self, from: data))
        case .thompsonGaussian: saved.state = .thompsonGaussian(try JSONDecoder().decode(ThompsonGaussianBandit.self, from: data))
        case .ucb1: saved.state = .ucb1(try JSONDecoder().decode(UCB1Bandit.self, from: data))
        case .epsilonGreedy: saved.state = .epsilonGreedy(try JSONDecoder().decode(EpsilonGreedyBandit.self, from: data))
        }
        guard saved.arms == bandit.arms else {
            throw ConfigurationError("saved bandit-sma state has \(saved.arms) arms, the strategy \(bandit.arms)")
        }
        bandit = saved
    }
}

extension BanditSMAStrategy: DeclaredStrategy {
    public static let name = "bandit-sma"
    public static let summary = "SMA crossover whose fast/slow pair is chosen by a bandit (Thompson, UCB1 or epsilon-greedy) on realized trades"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("arms", .list(example: "5/20,10/30,10/30/vt"), default: "5/20,10/30,20/60,30/100",
                          help: "fast/slow pairs to choose from; fast/slow/vt sizes that arm to vol_target"),
        StrategyParameter("algorithm", .choice(TradeBandit.Algorithm.allCases.map(\.rawValue)), default: "thompson",
                          help: "how the next arm is chosen"),
        StrategyParameter("reward", .choice(TradeBandit.Reward.allCases.map(\.rawValue)), default: "win",
                          help: "what a closed round trip teaches: win (1 or 0) or its return"),
        StrategyParameter("exploration", .decimal(0.000001...1_000_000), default: "5", help: "epsilon-greedy's c in epsilon = min(1, c / t)"),
        StrategyParameter("quantity", .decimal(0.000000001...1e15), default: "100", help: "shares per entry of a fixed-size arm"),
        StrategyParameter("vol_target", .decimal(0.0001...10), default: "0.15", help: "annual volatility of a vol-target arm's position"),
        StrategyParameter("vol_window", .integer(2...100_000), default: "20", help: "bars of returns for vol_target"),
        StrategyParameter("seed", .integer(0...Int(Int32.max)), default: "0", help: "random seed of the sampling"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        let text = arguments.text("arms") ?? ""
        var arms: [Arm] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            let pair = parts.prefix(2).compactMap { Int($0) }
            let marked = parts.count == 3 && parts[2] == "vt"
            guard pair.count == 2, parts.count == 2 || marked, pair[0] >= 1, pair[0] < pair[1], pair[1] <= 100_000 else {
                throw ConfigurationError("bandit-sma arms '\(text)': expected fast/slow pairs with fast < slow, each optionally "
                    + "marked /vt for volatility-target sizing, e.g. 5/20,10/30/vt")
            }
            arms.append(Arm(fast: pair[0], slow: pair[1], volatilityTarget: marked))
        }
        guard !arms.isEmpty else { throw ConfigurationError("bandit-sma arms '\(text)': expected at least one fast/slow pair") }
        guard let algorithm = TradeBandit.Algorithm(rawValue: arguments.text("algorithm") ?? "thompson"),
              let reward = TradeBandit.Reward(rawValue: arguments.text("reward") ?? "win") else {
            throw ConfigurationError("bandit-sma: algorithm is one of thompson, ucb1, epsilon-greedy; reward win or return")
        }
        let bandit = TradeBandit(algorithm: algorithm, reward: reward, arms: arms.count, exploration: arguments.decimal("exploration") ?? 5)
        self.init(arms: arms, quantity: try arguments.quantity("quantity") ?? Quantity(100), seed: UInt64(arguments.integer("seed")),
                  bandit: bandit, volatilityTarget: arguments.decimal("vol_target") ?? 0.15,
                  volatilityWindow: arguments.integer("vol_window"), periodsPerYear: setup.periodsPerYear)
    }
}
