import Foundation
import PeregrineCore
import PeregrineEngine
import PeregrineIndicators
import PeregrineModels

/// SMA crossover whose (fast, slow) pair is chosen by Thompson sampling on realized trades. Every
/// arm's crossover detector runs on every bar; the strategy trades the current arm's signals. When
/// a round trip closes, its outcome (win or loss) updates that arm's Beta posterior and a new arm is
/// drawn for the next entry. The bandit state is Codable, so a restart continues learning.
public struct BanditSMAStrategy: Strategy {
    public let arms: [(fast: Int, slow: Int)]
    public let quantity: Quantity
    public private(set) var bandit: ThompsonBetaBandit
    private var generator: SeededGenerator
    private var detectors: [[MovingAverageCross]] = []
    private var current: [Int] = []
    private var entryValue: [Money?] = []

    public init(arms: [(fast: Int, slow: Int)], quantity: Quantity = Quantity(100), seed: UInt64 = 0,
                bandit: ThompsonBetaBandit? = nil) {
        precondition(!arms.isEmpty && arms.allSatisfy { $0.fast < $0.slow })
        self.arms = arms
        self.quantity = quantity
        self.bandit = bandit ?? ThompsonBetaBandit(arms: arms.count)
        self.generator = SeededGenerator(seed: seed)
    }

    public mutating func onStart(_ context: StrategyContext) {
        let n = context.instruments.count
        detectors = Array(repeating: arms.map { MovingAverageCross(fast: $0.fast, slow: $0.slow) }, count: n)
        current = (0..<n).map { _ in bandit.select(&generator) }
        entryValue = Array(repeating: nil, count: n)
    }

    public mutating func onBar(_ bar: Bar, instrument: InstrumentID, _ context: StrategyContext) {
        let i = instrument.index
        var event: MovingAverageCross.Event?
        for k in arms.indices {
            let e = detectors[i][k].update(bar.close.units)
            if k == current[i] { event = e }
        }
        let arm = arms[current[i]]
        switch event {
        case .crossUp?:
            context.signal(.buy, instrument, quantity: quantity, note: "arm \(current[i]) (\(arm.fast)/\(arm.slow)) crossed up")
        case .crossDown? where !context.position(instrument).isFlat:
            // Only an exit: a fresh arm's down-cross while flat is not a short signal.
            context.signal(.sell, instrument, quantity: quantity, note: "arm \(current[i]) (\(arm.fast)/\(arm.slow)) crossed down")
        case .crossDown?, nil:
            break
        }
    }

    public mutating func onFill(_ fill: Fill, _ context: StrategyContext) {
        let i = fill.instrument.index
        let position = context.position(fill.instrument)
        if fill.side == .buy {
            entryValue[i] = fill.notional + fill.commission
        } else if position.isFlat, let cost = entryValue[i] {
            bandit.update(arm: current[i], won: fill.notional - fill.commission > cost)
            entryValue[i] = nil
            current[i] = bandit.select(&generator)
        }
    }
}

extension BanditSMAStrategy: ResumableStrategy {
    /// The arms' posteriors; the arm drawn next follows from them at the next start.
    public var resumableState: String {
        get throws { String(decoding: try JSONEncoder().encode(bandit), as: UTF8.self) }
    }

    public mutating func resume(from state: String) throws {
        let saved = try JSONDecoder().decode(ThompsonBetaBandit.self, from: Data(state.utf8))
        guard saved.alpha.count == bandit.alpha.count, saved.beta.count == bandit.beta.count else {
            throw ConfigurationError("saved bandit-sma state has \(saved.alpha.count) arms, the strategy \(bandit.alpha.count)")
        }
        bandit = saved
    }
}

extension BanditSMAStrategy: DeclaredStrategy {
    public static let name = "bandit-sma"
    public static let summary = "SMA crossover whose fast/slow pair is chosen by Thompson sampling on realized trades"
    public static let parameters: [StrategyParameter] = [
        StrategyParameter("arms", .list(example: "5/20,10/30"), default: "5/20,10/30,20/60,30/100", help: "fast/slow pairs to choose from"),
        StrategyParameter("quantity", .decimal(0.000000001...1e15), default: "100", help: "shares per entry"),
        StrategyParameter("seed", .integer(0...Int(Int32.max)), default: "0", help: "random seed of the sampling"),
    ]

    public init(_ arguments: StrategyArguments, setup: inout StrategySetup) throws(ConfigurationError) {
        let text = arguments.text("arms") ?? ""
        var arms: [(fast: Int, slow: Int)] = []
        for item in text.split(separator: ",") {
            let pair = item.split(separator: "/").compactMap { Int($0) }
            guard pair.count == 2, pair[0] >= 1, pair[0] < pair[1], pair[1] <= 100_000 else {
                throw ConfigurationError("bandit-sma arms '\(text)': expected fast/slow pairs with fast < slow, e.g. 5/20,10/30")
            }
            arms.append((pair[0], pair[1]))
        }
        guard !arms.isEmpty else { throw ConfigurationError("bandit-sma arms '\(text)': expected at least one fast/slow pair") }
        self.init(arms: arms, quantity: try arguments.quantity("quantity") ?? Quantity(100), seed: UInt64(arguments.integer("seed")))
    }
}
