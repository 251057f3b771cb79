import PeregrineCore

/// The market made worse on purpose: the history's deepest declines found, volatility scaled, gaps
/// injected, volume cut. Every transform keeps bars well formed (low ≤ open, close ≤ high) and
/// on the instrument's tick grid.
public enum StressScenarios {
    /// The market a scenario's return is measured against, on the merged time steps of its
    /// instruments: for one instrument, its own closes.
    public struct MarketIndex: Sendable {
        public var timestamps: [Int64]
        /// The index as a series (its closes), for `deepestDeclines`.
        public var index: BarSeries
    }

    /// One instrument's closes as they are; several instruments' equal-weight index: at each time
    /// step, the mean of close over first close of the instruments that have started, each carried
    /// over its missing bars, in nano-units of 1.0 at the start.
    public static func equalWeightIndex(_ series: [BarSeries]) -> MarketIndex {
        if series.count == 1 { return MarketIndex(timestamps: series[0].timestamps, index: series[0]) }
        let timestamps = series.mergedTimestamps
        var index = BarSeries(instrument: Instrument(symbol: "INDEX"))
        var cursors = Array(repeating: 0, count: series.count)
        var relative: [Double?] = Array(repeating: nil, count: series.count)
        for time in timestamps {
            for (k, s) in series.enumerated() {
                while cursors[k] < s.count, s.timestamps[cursors[k]] <= time {
                    relative[k] = Double(s.closes[cursors[k]]) / Double(s.closes[0])
                    cursors[k] += 1
                }
            }
            let started = relative.compactMap { $0 }
            let level = (started.reduce(0, +) / Double(max(1, started.count)) * 1e9).rounded()
            let units = level.isFinite && level < 9e18 ? max(1, Int64(level)) : Int64.max
            index.append(timestamp: time, open: units, high: units, low: units, close: units, volume: 0)
        }
        return MarketIndex(timestamps: timestamps, index: index)
    }

    /// A peak-to-trough decline of closes: bar indices and depth (a positive fraction).
    public struct Decline: Sendable, Equatable {
        public var peak: Int
        public var trough: Int
        public var depth: Double
    }

    /// The `count` deepest declines, deepest first. Each runs from a close that set a new high to the
    /// lowest close before that high was regained (or the end), so declines never overlap.
    public static func deepestDeclines(_ series: BarSeries, count: Int) -> [Decline] {
        var declines: [Decline] = []
        let closes = series.closes
        guard !closes.isEmpty else { return [] }
        var peak = 0, trough = 0
        func close() {
            if trough > peak {
                declines.append(Decline(peak: peak, trough: trough,
                                        depth: 1 - Double(closes[trough]) / Double(closes[peak])))
            }
        }
        for t in 1..<closes.count {
            if closes[t] > closes[peak] {
                close()
                peak = t
                trough = t
            } else if closes[t] < closes[trough] {
                trough = t
            }
        }
        close()
        return Array(declines.sorted { $0.depth != $1.depth ? $0.depth > $1.depth : $0.peak < $1.peak }.prefix(count))
    }

    /// Log prices moved `factor` times as far from the first close: returns (and so volatility and
    /// drift) scaled by `factor`; the first close stays where it was.
    public static func scalingVolatility(_ series: BarSeries, by factor: Double) -> BarSeries {
        guard let first = series.closes.first else { return series }
        let base = Double(first)
        return transformed(series) { _, units in base * Foundationless.exp(factor * Foundationless.log(Double(units) / base)) }
    }

    /// Gaps of `size` (a fraction) at every `every`-th bar from a seeded start, up or down by a seeded
    /// coin: that bar and all after it move by the gap, so the gap is between a close and the next open
    /// and stays. Returns the series and the bars that open with a gap.
    public static func withGaps(_ series: BarSeries, every: Int, size: Double, seed: UInt64) -> (series: BarSeries, gaps: [Int]) {
        precondition(every > 0 && size > 0 && size < 1)
        var generator = SeededGenerator(seed: seed)
        var gaps: [Int] = []
        var index = 1 + Int(generator.next() % UInt64(every))
        var factors = Array(repeating: 1.0, count: series.count)
        var level = 1.0
        var next = 0
        while index < series.count {
            gaps.append(index)
            index += every
        }
        for t in 0..<series.count {
            if next < gaps.count, gaps[next] == t {
                level *= generator.next() % 2 == 0 ? 1 + size : 1 / (1 + size)
                next += 1
            }
            factors[t] = level
        }
        return (transformed(series) { t, units in Double(units) * factors[t] }, gaps)
    }

    /// Volume scaled by `factor` (0.1 leaves a tenth), as in a liquidity drought.
    public static func scalingVolume(_ series: BarSeries, by factor: Double) -> BarSeries {
        var result = BarSeries(instrument: series.instrument)
        result.reserveCapacity(series.count)
        for t in 0..<series.count {
            result.append(timestamp: series.timestamps[t], open: series.opens[t], high: series.highs[t], low: series.lows[t],
                          close: series.closes[t], volume: Quantity(approximating: Quantity(units: series.volumes[t]).doubleValue * factor).units)
        }
        return result
    }

    /// Each price through `map(bar, units)` (a monotone map per bar), rounded to the tick grid and
    /// kept at least one tick above zero; high and low re-bracket open and close after rounding.
    static func transformed(_ series: BarSeries, _ map: (Int, Int64) -> Double) -> BarSeries {
        let tick = max(series.instrument.tickSize.units, 1)
        func price(_ t: Int, _ units: Int64) -> Int64 {
            // A scenario that pushes a price off the 64-bit grid keeps it at the grid's edge (never traps).
            let ticks = (map(t, units) / Double(tick)).rounded()
            guard ticks.isFinite, ticks * Double(tick) < 9.2e18 else { return Int64.max - Int64.max % tick }
            return max(tick, Int64(ticks) * tick)
        }
        var result = BarSeries(instrument: series.instrument)
        result.reserveCapacity(series.count)
        for t in 0..<series.count {
            let open = price(t, series.opens[t]), close = price(t, series.closes[t])
            let high = max(price(t, series.highs[t]), open, close), low = min(price(t, series.lows[t]), open, close)
            result.append(timestamp: series.timestamps[t], open: open, high: high, low: low, close: close, volume: series.volumes[t])
        }
        return result
    }
}
