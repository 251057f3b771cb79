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
        // A k-way merge through a binary heap of each instrument's next bar, keyed (time, instrument):
        // O(bars log instruments), where scanning every instrument per bar would be quadratic in a
        // universe of hundreds.
        var merged: [(instrument: Int32, bar: Int32)] = []
        merged.reserveCapacity(series.reduce(0) { $0 + $1.count })
        let columns = series.map(\.timestamps)
        var cursors = Array(repeating: 0, count: series.count)
        var heap: [(time: Int64, instrument: Int)] = columns.indices.filter { !columns[$0].isEmpty }.map { (columns[$0][0], $0) }
        func before(_ a: (time: Int64, instrument: Int), _ b: (time: Int64, instrument: Int)) -> Bool {
            a.time < b.time || (a.time == b.time && a.instrument < b.instrument)
        }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var child = left
                if left + 1 < heap.count && before(heap[left + 1], heap[left]) { child = left + 1 }
                guard before(heap[child], heap[parent]) else { return }
                heap.swapAt(child, parent)
                parent = child
            }
        }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
        while let top = heap.first {
            let i = top.instrument
            merged.append((Int32(i), Int32(cursors[i])))
            cursors[i] += 1
            if cursors[i] < columns[i].count {
                heap[0] = (columns[i][cursors[i]], i)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
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
