import PeregrineCore
import PeregrineEngine
import PeregrineRisk

/// Several strategies run as one portfolio, each in its own sub-book (a sleeve), with capital
/// moved between the sleeves at a fixed rebalancing interval: by static weights, or by the
/// Thompson-sampling meta-controller (`ThompsonAllocator`) learning from each sleeve's returns.
///
/// Each sleeve is a full event-driven backtest whose sizing scales with its equity (percent of
/// equity, volatility targeting), so a sleeve holding a share w of the capital earns w times its
/// per-bar return. Between rebalances a sleeve's capital compounds with its own returns; at a
/// rebalance the total is split by the new weights and the capital moved pays `costBps` on the
/// turnover. Weights chosen at a rebalance use only returns up to that bar and apply from the
/// next one. With a restored allocator the meta-controller continues from what it learned before.
public struct StrategyPortfolio: Sendable {
    public enum Allocation: Sendable, Equatable {
        case staticWeights([Double])
        case thompson(floor: Double, seed: UInt64)
    }

    public struct Settings: Sendable {
        public var allocation: Allocation
        /// Bars between rebalances.
        public var rebalanceEvery: Int
        /// Cost of moving capital between sleeves, in basis points of the amount moved.
        public var costBps = 0.0
        /// Share of the previous evidence the meta-controller keeps at each rebalance (1 keeps all;
        /// lower values weigh recent performance more).
        public var memory = 1.0

        public init(allocation: Allocation, rebalanceEvery: Int) {
            self.allocation = allocation
            self.rebalanceEvery = rebalanceEvery
        }
    }

    public struct Rebalance: Sendable, Equatable {
        public var bar: Int
        public var timestamp: Int64
        public var weights: [Double]
        public var turnover: Double
        public var cost: Double
    }

    public struct Report: Sendable {
        public var names: [String]
        /// Portfolio equity per bar.
        public var equity: [Double]
        public var rebalances: [Rebalance]
        public var statistics: ReturnStatistics
        /// Each sleeve's own return over the run at full capital.
        public var sleeveReturns: [Double]
        /// The allocator as it ends (save it to continue learning), for Thompson allocation.
        public var allocator: ThompsonAllocator?
        /// Each sleeve's capital at the end.
        public var finalCapital: [Double]
    }

    public enum Failure: Error, CustomStringConvertible {
        case mismatch(String)
        public var description: String {
            switch self { case .mismatch(let text): return text }
        }
    }

    public let names: [String]
    public let settings: Settings
    public let periodsPerYear: Double

    public init(names: [String], settings: Settings, periodsPerYear: Double) {
        precondition(!names.isEmpty && settings.rebalanceEvery > 0 && settings.costBps >= 0 && settings.memory > 0 && settings.memory <= 1)
        self.names = names
        self.settings = settings
        self.periodsPerYear = periodsPerYear
    }

    /// Combines the sleeves' backtests (on the same bars) into the portfolio.
    public func run(_ results: [BacktestResult], initialCapital: Double, allocator restored: ThompsonAllocator? = nil) throws(Failure) -> Report {
        guard results.count == names.count else { throw .mismatch("\(names.count) sleeves named, \(results.count) backtests given") }
        let times = results[0].equity.map(\.timestamp.nanoseconds)
        for (name, result) in zip(names, results) where result.equity.map(\.timestamp.nanoseconds) != times {
            throw .mismatch("sleeve \(name) has other bars than sleeve \(names[0]); sleeves must run on the same data")
        }
        let returns = results.map { result -> [Double] in
            var previous = result.metrics.initialEquity.doubleValue
            return result.equity.map { point in
                let value = point.equity.doubleValue
                defer { previous = value }
                return previous > 0 ? value / previous - 1 : 0
            }
        }
        return try combine(returns: returns, times: times, initialCapital: initialCapital, allocator: restored)
    }

    /// Combines per-bar sleeve returns (`returns[k][t]`, the return of sleeve k over bar t).
    public func combine(returns: [[Double]], times: [Int64], initialCapital: Double, allocator restored: ThompsonAllocator? = nil)
        throws(Failure) -> Report
    {
        let count = names.count
        guard returns.count == count, returns.allSatisfy({ $0.count == times.count }) else {
            throw .mismatch("every sleeve needs one return per bar")
        }
        var allocator: ThompsonAllocator?
        var weights: [Double]
        switch settings.allocation {
        case .staticWeights(let given):
            guard given.count == count, given.allSatisfy({ $0 >= 0 }), abs(given.reduce(0, +) - 1) < 1e-9 else {
                throw .mismatch("static weights must be \(count) non-negative numbers summing to 1, got \(given)")
            }
            weights = given
        case .thompson(let floor, let seed):
            guard floor >= 0, floor * Double(count) <= 1 else { throw .mismatch("floor \(floor) is too high for \(count) sleeves") }
            if let restored {
                guard restored.strategies == names else {
                    throw .mismatch("saved allocator is for \(restored.strategies), not \(names)")
                }
                allocator = restored
            } else {
                allocator = ThompsonAllocator(strategies: names, floor: floor, seed: seed)
            }
            // A restored allocator's own draw sets the first weights; a new one starts equal.
            weights = restored != nil ? allocator!.rebalance() : Array(repeating: 1 / Double(count), count: count)
        }
        var capital = weights.map { $0 * initialCapital }
        var equity: [Double] = []
        equity.reserveCapacity(times.count)
        var rebalances = [Rebalance(bar: 0, timestamp: times.first ?? 0, weights: weights, turnover: 0, cost: 0)]
        var sinceRebalance = 0
        for t in times.indices {
            for k in 0..<count {
                capital[k] *= 1 + returns[k][t]
                allocator?.observe(strategy: k, return: returns[k][t])
            }
            sinceRebalance += 1
            let total = capital.reduce(0, +)
            if sinceRebalance == settings.rebalanceEvery && t < times.count - 1 && total > 0 {
                sinceRebalance = 0
                if allocator != nil {
                    weights = allocator!.rebalance()
                    if settings.memory < 1 { allocator!.forget(keeping: settings.memory) }
                }
                let target = weights.map { $0 * total }
                let moved = zip(target, capital).reduce(0.0) { $0 + abs($1.0 - $1.1) } / 2
                let cost = moved * settings.costBps / 10_000
                capital = weights.map { $0 * (total - cost) }
                rebalances.append(Rebalance(bar: t + 1, timestamp: times[t + 1], weights: weights, turnover: moved / total, cost: cost))
            }
            equity.append(capital.reduce(0, +))
        }
        var previous = initialCapital
        let portfolioReturns = equity.map { value -> Double in
            defer { previous = value }
            return previous > 0 ? value / previous - 1 : 0
        }
        let sleeveReturns = returns.map { $0.reduce(1.0) { $0 * (1 + $1) } - 1 }
        return Report(names: names, equity: equity, rebalances: rebalances,
                      statistics: ReturnStatistics(returns: portfolioReturns, periodsPerYear: periodsPerYear),
                      sleeveReturns: sleeveReturns, allocator: allocator, finalCapital: capital)
    }
}
