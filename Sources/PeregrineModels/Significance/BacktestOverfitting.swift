import PeregrineCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey,
/// Borwein, López de Prado and Zhu, 2015). The trials' per-period returns are cut into S blocks;
/// for every way of choosing S/2 blocks as the in-sample half (the rest out of sample), the trial
/// with the best in-sample Sharpe is ranked among all trials out of sample. Its relative rank ω
/// gives the logit λ = ln(ω / (1 − ω)); the probability of overfitting is the share of splits where
/// the in-sample best lands at or below the out-of-sample median (λ ≤ 0). Pure noise gives about
/// one half or more; a real edge, near zero. Each half's Sharpe comes from its blocks' moments.
public struct BacktestOverfitting: Sendable, Hashable {
    /// PBO: the share of splits with λ ≤ 0.
    public var probability: Double
    /// The share of splits where the in-sample best lost money out of sample (Sharpe below 0).
    public var probabilityOfLoss: Double
    /// λ of each split, in the order the splits were taken.
    public var logits: [Double]
    public var splits: Int
    public var blocks: Int
    public var trials: Int

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case blocks(Int)
        case trials(Int)
        case ragged(trial: Int, blocks: Int, expected: Int)
        public var description: String {
            switch self {
            case .blocks(let s): return "combinatorially symmetric cross-validation needs an even number of blocks from 2 to 32, got \(s)"
            case .trials(let n): return "the probability of overfitting needs at least 2 trials, got \(n)"
            case .ragged(let trial, let blocks, let expected): return "trial \(trial) has \(blocks) blocks of returns, expected \(expected)"
            }
        }
    }

    /// - Parameters:
    ///   - blockMoments: per trial, the moments of each of its S blocks of returns (the same S for all).
    ///   - maximumSplits: C(S, S/2) splits are all taken when there are at most this many; otherwise
    ///     a seeded sample of half as many in-sample halves, each with its complement (so the splits stay symmetric).
    public init(blockMoments: [[ReturnMoments]], maximumSplits: Int = 2000, seed: UInt64 = 0) throws(Failure) {
        let trials = blockMoments.count
        guard trials >= 2 else { throw .trials(trials) }
        let s = blockMoments[0].count
        guard s >= 2, s <= 32, s % 2 == 0 else { throw .blocks(s) }
        for (index, row) in blockMoments.enumerated() where row.count != s { throw .ragged(trial: index, blocks: row.count, expected: s) }
        let halves = Self.inSampleHalves(blocks: s, maximumSplits: max(2, maximumSplits), seed: seed)
        let totals = blockMoments.map { $0.reduce(ReturnMoments(), +) }
        var logits: [Double] = []
        logits.reserveCapacity(halves.count)
        var losses = 0
        var inSample = [Double](repeating: 0, count: trials)
        var outOfSample = [Double](repeating: 0, count: trials)
        for mask in halves {
            for trial in 0..<trials {
                var half = ReturnMoments()
                for block in 0..<s where mask & (1 << UInt32(block)) != 0 { half = half + blockMoments[trial][block] }
                inSample[trial] = Self.comparable(half.sharpePerPeriod)
                outOfSample[trial] = Self.comparable((totals[trial] - half).sharpePerPeriod)
            }
            var chosen = 0
            for trial in 1..<trials where inSample[trial] > inSample[chosen] { chosen = trial }
            let target = outOfSample[chosen]
            var below = 0, tied = 0
            for value in outOfSample { if value < target { below += 1 } else if value == target { tied += 1 } }
            // The average rank (1 = worst) among ties, relative to N + 1, stays inside (0, 1).
            let rank = Double(below) + Double(tied + 1) / 2
            let omega = rank / Double(trials + 1)
            logits.append(log(omega / (1 - omega)))
            if target < 0 { losses += 1 }
        }
        self.logits = logits
        self.splits = halves.count
        self.blocks = s
        self.trials = trials
        self.probability = Double(logits.filter { $0 <= 0 }.count) / Double(logits.count)
        self.probabilityOfLoss = Double(losses) / Double(halves.count)
    }

    /// A Sharpe that cannot be computed (too few returns) ranks below every other.
    private static func comparable(_ sharpe: Double) -> Double { sharpe.isNaN ? -.infinity : sharpe }

    /// The in-sample halves as bit masks of blocks: every choice of S/2 blocks, or a seeded sample
    /// of choices containing block 0 together with their complements.
    public static func inSampleHalves(blocks s: Int, maximumSplits: Int, seed: UInt64) -> [UInt32] {
        let half = s / 2
        let full: UInt32 = s == 32 ? .max : (1 << UInt32(s)) - 1
        var containingFirst: [UInt32] = []
        if binomial(s, half) <= Double(maximumSplits) {
            // Every choice of half − 1 of the other s − 1 blocks, in increasing order of the mask (Gosper's step).
            if half == 1 {
                containingFirst = [1]
            } else {
                var rest: UInt32 = (1 << UInt32(half - 1)) - 1
                let limit: UInt32 = 1 << UInt32(s - 1)
                while rest < limit {
                    containingFirst.append(rest << 1 | 1)
                    let lowest = rest & (~rest &+ 1)
                    let ripple = rest &+ lowest
                    rest = (((ripple ^ rest) >> 2) / lowest) | ripple
                }
            }
        } else {
            var generator = SeededGenerator(seed: seed)
            var seen = Set<UInt32>()
            let wanted = maximumSplits / 2
            while containingFirst.count < wanted {
                var others = Array(1..<s)
                var mask: UInt32 = 1
                for pick in 0..<(half - 1) {
                    let j = pick + Int(generator.next() % UInt64(others.count - pick))
                    others.swapAt(pick, j)
                    mask |= 1 << UInt32(others[pick])
                }
                if seen.insert(mask).inserted { containingFirst.append(mask) }
            }
        }
        return containingFirst.flatMap { [$0, full & ~$0] }
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        var value = 1.0
        for i in 0..<k { value = value * Double(n - i) / Double(i + 1) }
        return value
    }
}
