import Foundation
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

    /// Runs every combination; `threads` defaults to the machine's active processors.
    public func run(_ combinations: [Combination], threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Result] {
        let windows = Set(combinations.flatMap { [$0.fast, $0.slow] }).sorted()
        var sums: [Int: [Int64]] = [:]
        for window in windows { sums[window] = Self.windowSums(series.closes, window: window) }
        let frozenSums = sums
        let placeholder = Result(combination: Combination(fast: 0, slow: 0), roundTrips: 0, openTrades: 0, fills: 0,
                                 finalEquity: .zero, totalReturn: 0, sharpe: 0, sortino: 0, maxDrawdown: 0, calmar: 0,
                                 profitFactor: 0)
        var results = Array(repeating: placeholder, count: combinations.count)
        let workers = max(1, min(threads, combinations.count))
        results.withUnsafeMutableBufferPointer { slots in
            let output = UnsafeMutableSendableBuffer(slots)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var k = worker
                while k < combinations.count {
                    let c = combinations[k]
                    output.buffer[k] = evaluate(c, fastSums: frozenSums[c.fast]!, slowSums: frozenSums[c.slow]!)
                    k += workers
                }
            }
        }
        return results
    }

    /// Exact sums of the last `window` closes at each bar (0 before the window fills).
    static func windowSums(_ closes: [Int64], window: Int) -> [Int64] {
        var sums = [Int64](repeating: 0, count: closes.count)
        var total: Int64 = 0
        for t in closes.indices {
            total &+= closes[t]
            if t >= window { total &-= closes[t - window] }
            if t >= window - 1 { sums[t] = total }
        }
        return sums
    }

    /// One combination, bar by bar.
    func evaluate(_ c: Combination, fastSums: [Int64], slowSums: [Int64]) -> Result {
        let opens = series.opens
        let closes = series.closes
        let n = closes.count
        let f = Int64(c.fast)
        let s = Int64(c.slow)
        let first = max(c.fast, c.slow) - 1
        var previousSign: Int8 = 2  // undefined until both averages exist
        var pendingBuy = false
        var pendingSell = false
        var long = false
        var cash = initialCash
        var cashDouble = cash.doubleValue
        let q = quantity.doubleValue
        let scale = Double(Price.scale)
        var fills = 0
        var roundTrips = 0
        var entryCost = Money.zero
        var grossProfit = 0.0
        var grossLoss = 0.0
        // Statistics of the per-bar equity returns (the first return is against the initial cash).
        var previousEquity = cashDouble
        var sum = 0.0
        var squares = 0.0
        var downside = 0.0
        var growth = 1.0
        var peak = 1.0
        var worst = 0.0
        let useWide = Self.needsWideProducts(fastSums: fastSums, slowSums: slowSums, f: f, s: s)
        for t in 0..<n {
            // Orders decided on bar t-1's close fill at bar t's open.
            if pendingBuy || pendingSell {
                let price = Price(units: opens[t])
                let fee = commission.commission(fillQuantity: quantity, fillPrice: price, orderFilledBefore: .zero,
                                                orderChargedBefore: .zero)
                if pendingBuy {
                    let cost = price * quantity
                    cash -= cost + fee
                    entryCost = cost + fee
                    long = true
                } else {
                    let proceeds = price * quantity
                    cash += proceeds - fee
                    let pnl = (proceeds - fee - entryCost).doubleValue
                    if pnl > 0 { grossProfit += pnl } else if pnl < 0 { grossLoss -= pnl }
                    roundTrips += 1
                    long = false
                }
                cashDouble = cash.doubleValue
                fills += 1
                pendingBuy = false
                pendingSell = false
            }
            let equity = long ? cashDouble + q * Double(closes[t]) / scale : cashDouble
            if equity != previousEquity {
                let r = equity / previousEquity - 1
                sum += r
                squares += r * r
                if r < 0 { downside += r * r }
                growth *= 1 + r
                if growth > peak { peak = growth } else {
                    let drawdown = (growth - peak) / peak
                    if drawdown < worst { worst = drawdown }
                }
                previousEquity = equity
            }
            guard t >= first else { continue }
            let sign: Int8
            if useWide {
                let lhs = Int128(s) * Int128(fastSums[t])
                let rhs = Int128(f) * Int128(slowSums[t])
                sign = lhs > rhs ? 1 : (lhs < rhs ? -1 : 0)
            } else {
                let lhs = s &* fastSums[t]
                let rhs = f &* slowSums[t]
                sign = lhs > rhs ? 1 : (lhs < rhs ? -1 : 0)
            }
            if previousSign != 2 {
                if sign > 0 && previousSign <= 0 && !long {
                    // The kernel's buying-power check: cost at this close against cash.
                    if Price(units: closes[t]) * quantity <= cash { pendingBuy = t + 1 < n }
                } else if sign < 0 && previousSign >= 0 && long {
                    pendingSell = t + 1 < n
                }
            }
            previousSign = sign
        }
        let finalEquity = long ? cash + Price(units: closes[n - 1]) * quantity : cash
        let count = Double(n)
        let mean = sum / count
        let variance = max(0, (squares - count * mean * mean) / (count - 1))
        let deviation = variance.squareRoot()
        let sharpe = deviation > 0 ? mean / deviation * periodsPerYear.squareRoot() : .nan
        let downsideRisk = (downside / count).squareRoot() * periodsPerYear.squareRoot()
        let sortino = downsideRisk > 0 ? mean * periodsPerYear / downsideRisk : .nan
        let annual = growth > 0 ? pow(growth, periodsPerYear / count) - 1 : .nan
        return Result(
            combination: c, roundTrips: roundTrips, openTrades: long ? 1 : 0, fills: fills, finalEquity: finalEquity,
            totalReturn: finalEquity.doubleValue / initialCash.doubleValue - 1, sharpe: sharpe, sortino: sortino,
            maxDrawdown: worst, calmar: worst < 0 ? annual / -worst : .nan,
            profitFactor: roundTrips == 0 ? .nan : (grossLoss == 0 ? .infinity : grossProfit / grossLoss))
    }

    /// Whether window sums times window lengths could overflow 64 bits (very high prices).
    static func needsWideProducts(fastSums: [Int64], slowSums: [Int64], f: Int64, s: Int64) -> Bool {
        let largest = max(fastSums.max() ?? 0, slowSums.max() ?? 0)
        return largest > Int64.max / max(f, s) / 2
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
