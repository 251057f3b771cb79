/// Several instruments' bars on one clock: the time steps of all of them merged, and each one's
/// bars within a span of those steps. What the research tools use to treat a folder as a portfolio.
extension Array where Element == BarSeries {
    /// Every timestamp of every instrument, once each, in order.
    public var mergedTimestamps: [Int64] {
        if count == 1 { return self[0].timestamps }
        var all = Set<Int64>()
        for series in self { all.formUnion(series.timestamps) }
        return all.sorted()
    }

    /// Each instrument's bars whose times lie within time steps `range` of `timeline` (possibly none
    /// for one that had not started yet). One instrument slices by index: its timeline is its own.
    public func slices(timeline: [Int64], _ range: Range<Int>) -> [BarSeries] {
        if count == 1 { return [self[0].slice(range)] }
        let first = timeline[range.lowerBound], last = timeline[range.upperBound - 1]
        /// The index of the first timestamp for which `beyond` holds (timestamps ascend).
        func partition(_ timestamps: [Int64], _ beyond: (Int64) -> Bool) -> Int {
            var lo = 0, hi = timestamps.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if beyond(timestamps[mid]) { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        return map { s in s.slice(partition(s.timestamps) { $0 >= first }..<partition(s.timestamps) { $0 > last }) }
    }
}
