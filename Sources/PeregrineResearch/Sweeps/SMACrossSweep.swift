import Foundation
import Synchronization
import PeregrineCore
import PeregrineEngine

/// The fast path of `peregrine sweep` for the SMA crossover: every (fast, slow) combination over
/// one instrument, long-only with a fixed quantity, next-open market fills, a commission model.
/// Window sums are computed once per distinct window (exact, in fixed-point units); each
/// combination is then one pass over the bars with the kernel's rules: a cross on bar t's close
/// fills at bar t+1's open, buy only when flat, sell only when long, a buy refused when its cost at
/// the signal close exceeds cash. Cash is exact `Money`; the equity curve for the statistics uses
/// doubles as the kernel's metrics do. Combinations run in parallel across cores, each written to
/// its own slot, so results do not depend on the core count. Memory: the window sums and the
/// results table, nothing per bar per combination.
public struct SMACrossSweep: Sendable {
    public struct Combination: Hashable, Sendable {
        public var fast: Int
        public var slow: Int
        public init(fast: Int, slow: Int) {
            self.fast = fast
            self.slow = slow
        }
    }

    public struct Result: Sendable, Equatable {
        public var combination: Combination
        public var roundTrips: Int
        public var openTrades: Int
        public var fills: Int
        public var finalEquity: Money
        public var totalReturn: Double
        public var sharpe: Double
        public var sortino: Double
        public var maxDrawdown: Double
        public var calmar: Double
        public var profitFactor: Double

        /// The value of a named objective (higher is better).
        public func value(of objective: Objective) -> Double {
            switch objective {
            case .sharpe: return sharpe
            case .sortino: return sortino
            case .calmar: return calmar
            case .totalReturn: return totalReturn
            case .finalEquity: return finalEquity.doubleValue
            case .profitFactor: return profitFactor
            }
        }
    }

    public enum Objective: String, Sendable, CaseIterable {
        case sharpe, sortino, calmar
        case totalReturn = "total_return"
        case finalEquity = "final_equity"
        case profitFactor = "profit_factor"

        /// The same figure of an event-driven backtest.
        public func value(of result: BacktestResult) -> Double {
            let metrics = result.metrics
            switch self {
            case .sharpe: return metrics.returns.sharpe
            case .sortino: return metrics.returns.sortino
            case .calmar: return metrics.returns.calmar
            case .totalReturn: return metrics.returns.totalReturn
            case .finalEquity: return metrics.finalEquity.doubleValue
            case .profitFactor: return metrics.trades.profitFactor
            }
        }
    }

    public let series: BarSeries
    public let quantity: Quantity
    public let initialCash: Money
    public let commission: CommissionModel
    public let periodsPerYear: Double

    public init(series: BarSeries, quantity: Quantity, initialCash: Money, commission: CommissionModel = .none,
                periodsPerYear: Double) {
        self.series = series
        self.quantity = quantity
        self.initialCash = initialCash
        self.commission = commission
        self.periodsPerYear = periodsPerYear
    }

    /// Runs every combination; `threads` defaults to the machine's active processors. `progress`, when
    /// given, hears the number of combinations done, every 64 and at the end, from any worker thread.
    public func run(_ combinations: [Combination], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: (@Sendable (Int) -> Void)? = nil) -> [Result] {
        let n = series.count
        let windows = Set(combinations.flatMap { [$0.fast, $0.slow] }).sorted()
        // Raw, immutable column and window-sum buffers shared by the workers for the whole run.
        var sums: [Int: UnsafeMutablePointer<Int64>] = [:]
        var largestSum: [Int: Int64] = [:]
        for window in windows {
            let buffer = UnsafeMutablePointer<Int64>.allocate(capacity: max(n, 1))
            Self.windowSums(series.closes, window: window, into: buffer)
            sums[window] = buffer
            largestSum[window] = (0..<n).reduce(Int64(0)) { max($0, buffer[$1]) }
        }
        let closes = UnsafeMutablePointer<Int64>.allocate(capacity: max(n, 1))
        let opens = UnsafeMutablePointer<Int64>.allocate(capacity: max(n, 1))
        for t in 0..<n {
            closes[t] = series.closes[t]
            opens[t] = series.opens[t]
        }
        defer {
            for buffer in sums.values { buffer.deallocate() }
            closes.deallocate()
            opens.deallocate()
        }
        let shared = SharedColumns(closes: closes, opens: opens, count: n, sums: sums, largestSum: largestSum)
        let placeholder = Result(combination: Combination(fast: 0, slow: 0), roundTrips: 0, openTrades: 0, fills: 0,
                                 finalEquity: .zero, totalReturn: 0, sharpe: 0, sortino: 0, maxDrawdown: 0, calmar: 0,
                                 profitFactor: 0)
        var results = Array(repeating: placeholder, count: combinations.count)
        let workers = max(1, min(threads, combinations.count))
        let done = Atomic<Int>(0)
        results.withUnsafeMutableBufferPointer { slots in
            let output = UnsafeMutableSendableBuffer(slots)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var k = worker
                while k < combinations.count {
                    let c = combinations[k]
                    // Window sums times window lengths must fit 64 bits, else compare in 128 (very high prices).
                    let largest = max(shared.largestSum[c.fast]!, shared.largestSum[c.slow]!)
                    let wide = largest > Int64.max / Int64(max(c.fast, c.slow)) / 2
                    output.buffer[k] = evaluate(c, shared.closes, shared.opens, shared.count, shared.sums[c.fast]!,
                                                shared.sums[c.slow]!, wide: wide)
                    k += workers
                    if let progress {
                        let count = done.add(1, ordering: .relaxed).newValue
                        if count % 64 == 0 || count == combinations.count { progress(count) }
                    }
                }
            }
        }
        return results
    }

    /// Read-only buffers the workers share.
    struct SharedColumns: @unchecked Sendable {
        let closes: UnsafeMutablePointer<Int64>
        let opens: UnsafeMutablePointer<Int64>
        let count: Int
        let sums: [Int: UnsafeMutablePointer<Int64>]
        let largestSum: [Int: Int64]
    }

    /// Exact sums of the last `window` closes at each bar (0 before the window fills).
    static func windowSums(_ closes: [Int64], window: Int, into sums: UnsafeMutablePointer<Int64>) {
        var total: Int64 = 0
        for t in closes.indices {
            total &+= closes[t]
            if t >= window { total &-= closes[t - window] }
            sums[t] = t >= window - 1 ? total : 0
        }
    }

    /// One combination in two passes. The signal pass walks every bar with integer comparisons only
    /// and records the fills; the statistics pass then visits only the bars spent in a position
    /// (a flat bar's return is exactly 0), and finds the drawdown per run below a peak.
    func evaluate(_ c: Combination, _ closes: UnsafeMutablePointer<Int64>, _ opens: UnsafeMutablePointer<Int64>, _ n: Int,
                  _ fs: UnsafeMutablePointer<Int64>, _ ss: UnsafeMutablePointer<Int64>, wide useWide: Bool) -> Result {
        let f = Int64(c.fast)
        let s = Int64(c.slow)
        let first = max(c.fast, c.slow) - 1
        // Pass 1: signals and fills (a fill on bar t happens at its open).
        var fillBars: [Int] = []
        var cashAfter: [Double] = []
        var cash = initialCash
        var long = false
        var entryCost = Money.zero
        var grossProfit = 0.0
        var grossLoss = 0.0
        var roundTrips = 0
        // The first bar with both averages sets the sign; a signal on the last bar cannot fill.
        @inline(__always) func signAt(_ t: Int) -> Int8 {
            if useWide {
                let lhs = Int128(s) * Int128(fs[t]), rhs = Int128(f) * Int128(ss[t])
                return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0)
            }
            let lhs = s &* fs[t], rhs = f &* ss[t]
            return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0)
        }
        var previousSign: Int8 = first < n ? signAt(first) : 0
        var t = first + 1
        while t < n - 1 {
            let sign = signAt(t)
            if sign != previousSign {
                let crossUp = sign > 0 && !long
                let crossDown = sign < 0 && long
                previousSign = sign
                // A buy is refused when its cost at this close exceeds cash (the kernel's check).
                if crossUp && Price(units: closes[t]) * quantity > cash {
                    t += 1
                    continue
                }
                if crossUp || crossDown {
                    let price = Price(units: opens[t + 1])
                    let fee = commission.commission(fillQuantity: quantity, fillPrice: price, orderFilledBefore: .zero,
                                                    orderChargedBefore: .zero)
                    if crossUp {
                        entryCost = price * quantity + fee
                        cash -= entryCost
                    } else {
                        let net = price * quantity - fee
                        cash += net
                        let pnl = (net - entryCost).doubleValue
                        if pnl > 0 { grossProfit += pnl } else if pnl < 0 { grossLoss -= pnl }
                        roundTrips += 1
                    }
                    long = crossUp
                    fillBars.append(t + 1)
                    cashAfter.append(cash.doubleValue)
                }
            }
            t += 1
        }
        // Pass 2: statistics of the per-bar equity returns, visiting only bars in a position.
        let q = quantity.doubleValue / Double(Price.scale)
        var stats = ReturnAccumulator(start: initialCash.doubleValue)
        var cashNow = initialCash.doubleValue
        var next = 0
        for k in 0..<fillBars.count {
            let bar = fillBars[k]
            if k % 2 == 1 {  // holding since the previous fill
                var u = next
                while u < bar {
                    stats.add(cashNow + q * Double(closes[u]))
                    u += 1
                }
            }
            cashNow = cashAfter[k]
            stats.add(k % 2 == 0 ? cashNow + q * Double(closes[bar]) : cashNow)
            next = bar + 1
        }
        if long {
            var u = next
            while u < n {
                stats.add(cashNow + q * Double(closes[u]))
                u += 1
            }
        }
        let worst = stats.finishDrawdown()
        let finalEquity = long ? cash + Price(units: closes[n - 1]) * quantity : cash
        let count = Double(n)
        let mean = stats.sum / count
        let variance = max(0, (stats.squares - count * mean * mean) / (count - 1))
        let deviation = variance.squareRoot()
        let growth = stats.equity / initialCash.doubleValue
        let sharpe = deviation > 0 ? mean / deviation * periodsPerYear.squareRoot() : .nan
        let downsideRisk = (stats.downside / count).squareRoot() * periodsPerYear.squareRoot()
        let sortino = downsideRisk > 0 ? mean * periodsPerYear / downsideRisk : .nan
        let annual = growth > 0 ? pow(growth, periodsPerYear / count) - 1 : .nan
        return Result(
            combination: c, roundTrips: roundTrips, openTrades: long ? 1 : 0, fills: fillBars.count, finalEquity: finalEquity,
            totalReturn: finalEquity.doubleValue / initialCash.doubleValue - 1, sharpe: sharpe, sortino: sortino,
            maxDrawdown: worst, calmar: worst < 0 ? annual / -worst : .nan,
            profitFactor: roundTrips == 0 ? .nan : (grossLoss == 0 ? .infinity : grossProfit / grossLoss))
    }

    /// Running sums of returns for one equity path; a new value equal to the last is a zero return.
    struct ReturnAccumulator {
        var equity: Double
        var sum = 0.0
        var squares = 0.0
        var downside = 0.0
        var peak: Double
        var lowSincePeak: Double
        var worst = 0.0

        init(start: Double) {
            equity = start
            peak = start
            lowSincePeak = start
        }

        /// An unchanged value adds a zero return, which changes no sum; no branch needed for it.
        @inline(__always) mutating func add(_ next: Double) {
            let r = next / equity - 1
            sum += r
            squares += r * r
            let loss = min(r, 0)
            downside += loss * loss
            equity = next
            if next >= peak {
                worst = min(worst, lowSincePeak / peak - 1)
                peak = next
                lowSincePeak = next
            } else if next < lowSincePeak {
                lowSincePeak = next
            }
        }

        mutating func finishDrawdown() -> Double {
            worst = min(worst, lowSincePeak / peak - 1)
            return worst
        }
    }

    /// All (fast, slow) pairs of two integer ranges with a step, keeping those `keep` accepts.
    public static func grid(fast: StrideThrough<Int>, slow: StrideThrough<Int>, keep: (Combination) -> Bool = { $0.fast < $0.slow })
        -> [Combination]
    {
        fast.flatMap { f in slow.map { Combination(fast: f, slow: $0) } }.filter(keep)
    }
}

/// A buffer the parallel workers write to, each at its own indices.
struct UnsafeMutableSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
