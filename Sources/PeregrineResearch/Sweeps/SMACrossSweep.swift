import Foundation
import Synchronization
import PeregrineCore
import PeregrineEngine
import PeregrineModels

/// The fast path of `peregrine sweep` for the SMA crossover: every (fast, slow) combination over
/// one instrument, long-only with a fixed quantity, next-open market fills, a commission model.
/// One column of prefix sums of the closes serves every window (exact: see `DoublePrefixScan`); each
/// combination then jumps from one change of sign to the next with the kernel's rules: a cross on bar t's close
/// fills at bar t+1's open, buy only when flat, sell only when long, a buy refused when its cost at
/// the signal close exceeds cash. Cash is exact `Money`; the equity curve for the statistics uses
/// doubles as the kernel's metrics do. Combinations run in parallel across cores, each written to
/// its own slot, so results do not depend on the core count. Memory: a few columns of the
/// series and the results table, nothing per window or per bar per combination.
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
        /// The count, sum and sum of squares of the per-period returns in each of the sweep's
    /// `significanceBlocks` blocks of bars (the sums of cubes and fourth powers are NaN).
        public var blockMoments: [ReturnMoments] = []

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
    /// Bars walked per block: a block of every column (about 260 KB at 4,096 bars) stays in the
    /// core's cache while a group of combinations passes over it. The results do not depend on it.
    public var blockSize = 4096
    /// Blocks of bars each combination's returns are summarized in (`BacktestOverfitting`'s S); 0 for none.
    public var significanceBlocks = SweepSignificance.defaultBlocks

    public init(series: BarSeries, quantity: Quantity, initialCash: Money, commission: CommissionModel = .none,
                periodsPerYear: Double) {
        self.series = series
        self.quantity = quantity
        self.initialCash = initialCash
        self.commission = commission
        self.periodsPerYear = periodsPerYear
    }

    /// Whether the closes fit the exact double scan for windows up to `largestWindow` (true for any
    /// ordinary series); otherwise crossings are compared in 128-bit integers, more slowly.
    public func comparesInDoubles(largestWindow: Int) -> Bool {
        DoublePrefixScan.fits(reducedCloses: reducedCloses(), largestWindow: largestWindow)
    }

    /// The closes divided by their greatest common divisor: a cent-priced series becomes cents,
    /// which keeps prefix sums small enough to be exact in a double.
    func reducedCloses() -> [Int64] {
        var unit: UInt64 = 0
        for close in series.closes where close != 0 {
            var (a, b) = (unit, close.magnitude)
            while b != 0 { (a, b) = (b, a % b) }
            unit = a
            if unit == 1 { break }
        }
        let divisor = Int64(max(unit, 1))
        return series.closes.map { $0 / divisor }
    }

    /// Runs every combination; `threads` defaults to the machine's active processors. `progress`, when
    /// given, hears the number of combinations done after each group of 64, from any worker thread.
    public func run(_ combinations: [Combination], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                    progress: (@Sendable (Int) -> Void)? = nil) -> [Result] {
        let n = series.count
        let largestWindow = combinations.map { max($0.fast, $0.slow) }.max() ?? 1
        let signalPrices = UnsafeMutablePointer<SignalPrices>.allocate(capacity: max(n, 1))
        // Padded with the last close: the statistics read whole blocks of eight and mask the rest.
        let closeValues = UnsafeMutablePointer<Double>.allocate(capacity: n + 8)
        for t in 0..<n {
            signalPrices[t] = signal(at: t)
            closeValues[t] = Double(series.closes[t])
        }
        for t in n..<(n + 8) { closeValues[t] = n > 0 ? closeValues[n - 1] : 1 }
        defer {
            signalPrices.deallocate()
            closeValues.deallocate()
        }
        let largestCloseValue = (0..<n).reduce(Money.zero) { max($0, signalPrices[$1].closeValue) }
        let columns = Columns(signalPrices: signalPrices, largestCloseValue: largestCloseValue, closeValues: closeValues, count: n)
        let reduced = reducedCloses()
        if DoublePrefixScan.fits(reducedCloses: reduced, largestWindow: largestWindow) {
            let prefix = UnsafeMutablePointer<Double>.allocate(capacity: n + 1)
            defer { prefix.deallocate() }
            var total: Int64 = 0
            prefix[0] = 0
            for t in 0..<n {
                total += reduced[t]
                prefix[t + 1] = Double(total)
            }
            return run(combinations, scan: DoublePrefixScan(prefix: prefix), columns: columns, threads: threads, progress: progress)
        }
        let prefix = UnsafeMutablePointer<Int128>.allocate(capacity: n + 1)
        defer { prefix.deallocate() }
        prefix[0] = 0
        for t in 0..<n { prefix[t + 1] = prefix[t] + Int128(series.closes[t]) }
        return run(combinations, scan: WidePrefixScan(prefix: prefix), columns: columns, threads: threads, progress: progress)
    }

    private func run<Scan: CrossSignScan & Sendable>(_ combinations: [Combination], scan: Scan, columns: Columns, threads: Int,
                                                     progress: (@Sendable (Int) -> Void)?) -> [Result] {
        let placeholder = Result(combination: Combination(fast: 0, slow: 0), roundTrips: 0, openTrades: 0, fills: 0,
                                 finalEquity: .zero, totalReturn: 0, sharpe: 0, sortino: 0, maxDrawdown: 0, calmar: 0,
                                 profitFactor: 0)
        var results = Array(repeating: placeholder, count: combinations.count)
        let workers = max(1, min(threads, combinations.count))
        let done = Atomic<Int>(0)
        results.withUnsafeMutableBufferPointer { slots in
            let output = UnsafeMutableSendableBuffer(slots)
            // Each worker takes groups of combinations in turn and walks a group through the bars a
            // block at a time, so a block of the columns is read from memory once per group.
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var groupStart = worker * Self.groupSize
                while groupStart < combinations.count {
                    let group = groupStart..<min(groupStart + Self.groupSize, combinations.count)
                    var paths = group.map { Path(combinations[$0], scan: scan, bars: columns.count, initialCash: initialCash) }
                    var blockStart = 0
                    var boundaries = significanceBoundaries(bars: columns.count)[...]
                    while blockStart < columns.count {
                        let blockEnd = min(blockStart + max(blockSize, 1), columns.count, boundaries.first ?? columns.count)
                        columns.warmSignalPrices(blockStart..<blockEnd)
                        for i in paths.indices { paths[i].advance(to: blockEnd, scan: scan, columns: columns, sweep: self) }
                        if blockEnd == boundaries.first {
                            boundaries.removeFirst()
                            for i in paths.indices { paths[i].markBoundary(at: blockEnd) }
                        }
                        blockStart = blockEnd
                    }
                    for (slot, path) in zip(group, paths) { output.buffer[slot] = path.result(columns: columns, sweep: self) }
                    groupStart += workers * Self.groupSize
                    if let progress {
                        let count = done.add(group.count, ordering: .relaxed).newValue
                        progress(count)
                    }
                }
            }
        }
        return results
    }

    /// The bars where one significance block ends and the next begins (none without blocks, or with
    /// fewer bars than blocks).
    func significanceBoundaries(bars: Int) -> [Int] {
        guard significanceBlocks > 1, bars >= significanceBlocks else { return [] }
        return (0..<(significanceBlocks - 1)).map { ReturnMoments.blockRange($0, of: significanceBlocks, periods: bars).upperBound }
    }

    /// Combinations walked together through each block of bars.
    static let groupSize = 64

    /// Read-only columns the workers share for the whole run.
    struct Columns: @unchecked Sendable {
        let signalPrices: UnsafeMutablePointer<SignalPrices>
        /// The largest `closeValue`: with at least this much cash, no buy can be refused.
        let largestCloseValue: Money
        /// The closes in price units as doubles, for the equity curve.
        let closeValues: UnsafeMutablePointer<Double>
        let count: Int

        /// Reads a block of `signalPrices` front to back before a group walks it. Each combination
        /// reads only the few bars where its sign changes, different bars for each, so without this
        /// almost every such read is a first touch that waits on memory; one streaming pass the
        /// hardware prefetcher can follow costs less than those misses.
        func warmSignalPrices(_ bars: Range<Int>) {
            let raw = UnsafeRawPointer(signalPrices + bars.lowerBound)
            let bytes = bars.count * MemoryLayout<SignalPrices>.stride
            var sum: UInt8 = 0
            for offset in stride(from: 0, to: bytes, by: 64) { sum &+= raw.load(fromByteOffset: offset, as: UInt8.self) }
            Self.sink.store(sum, ordering: .relaxed)
        }

        /// Where `warmSignalPrices` leaves its sum, so the reads are not optimized away.
        static let sink = Atomic<UInt8>(0)
    }

    /// What a signal on a bar costs or brings, worked out once per bar rather than once per signal
    /// per combination: the position's value at the bar's close (the kernel refuses a buy that
    /// exceeds cash there), and the cash a buy takes or a sell brings at the next bar's open, net of
    /// commission (the fixed quantity makes each a property of the bar).
    struct SignalPrices {
        var closeValue: Money
        var buyCost: Money
        var sellProceeds: Money
    }

    func signal(at t: Int) -> SignalPrices {
        let closeValue = Price(units: series.closes[t]) * quantity
        guard t + 1 < series.count else { return SignalPrices(closeValue: closeValue, buyCost: .zero, sellProceeds: .zero) }
        let price = Price(units: series.opens[t + 1])
        let fee = commission.commission(fillQuantity: quantity, fillPrice: price, orderFilledBefore: .zero, orderChargedBefore: .zero)
        return SignalPrices(closeValue: closeValue, buyCost: price * quantity + fee, sellProceeds: price * quantity - fee)
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
