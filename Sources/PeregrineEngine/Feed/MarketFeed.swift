import PeregrineCore

/// Several instruments' bars merged into one time order: earlier timestamps first, and at equal
/// timestamps the instrument listed first. A single instrument needs no merge and gets none.
public struct MarketFeed: Sendable {
    public let series: [BarSeries]
    /// (instrument, bar index) pairs in event order; empty for a single instrument.
    let order: [(instrument: Int32, bar: Int32)]

    public init(series: [BarSeries]) {
        self.series = series
        guard series.count > 1 else {
            self.order = []
            return
        }
        var merged: [(instrument: Int32, bar: Int32)] = []
        merged.reserveCapacity(series.reduce(0) { $0 + $1.count })
        var cursors = Array(repeating: 0, count: series.count)
        while true {
            var best = -1
            var bestTime = Int64.max
            for (i, s) in series.enumerated() where cursors[i] < s.count {
                let t = s.timestamps[cursors[i]]
                if t < bestTime {
                    bestTime = t
                    best = i
                }
            }
            if best < 0 { break }
            merged.append((Int32(best), Int32(cursors[best])))
            cursors[best] += 1
        }
        self.order = merged
    }

    public var barCount: Int { series.reduce(0) { $0 + $1.count } }

    /// Walks the bars in event order: `bar(instrument, bar, index)` for each, then `close(time)` once
    /// all instruments' bars of that time are in.
    @inline(__always)
    func walk(bar: (Int, Bar, Int) -> Void, close: (Int64) -> Void) {
        if series.count == 1 {
            for k in 0..<series[0].count {
                bar(0, series[0][k], k)
                close(series[0].timestamps[k])
            }
            return
        }
        var k = 0
        while k < order.count {
            let time = series[Int(order[k].instrument)].timestamps[Int(order[k].bar)]
            while k < order.count, series[Int(order[k].instrument)].timestamps[Int(order[k].bar)] == time {
                let i = Int(order[k].instrument)
                let b = Int(order[k].bar)
                bar(i, series[i][b], b)
                k += 1
            }
            close(time)
        }
    }
}
