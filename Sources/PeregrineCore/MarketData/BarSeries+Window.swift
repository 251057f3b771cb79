extension BarSeries {
    /// Drops the `count` oldest bars, keeping the buffers' capacity: a live bot keeps a window of
    /// recent bars (the rest are in its store), and calls this once a chunk has piled up, so the
    /// move costs O(1) a bar.
    public mutating func removeOldest(_ count: Int) {
        let count = Swift.min(Swift.max(count, 0), self.count)
        guard count > 0 else { return }
        _timestamps.removeFirst(count)
        _opens.removeFirst(count)
        _highs.removeFirst(count)
        _lows.removeFirst(count)
        _closes.removeFirst(count)
        _volumes.removeFirst(count)
    }
}
