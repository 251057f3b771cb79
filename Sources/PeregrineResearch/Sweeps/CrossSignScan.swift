/// Where a fast simple moving average crosses a slow one, read from prefix sums of the closes:
/// the sum of the last w closes at bar t is prefix[t + 1] - prefix[t + 1 - w], and fast > slow
/// exactly when slow * fastSum > fast * slowSum. One prefix array serves every window, so a sweep
/// holds one column however many windows it tries, and the column stays in cache.
protocol CrossSignScan {
    /// The sign of fast - slow at bar t (-1, 0 or +1); t ≥ max(fast, slow) - 1.
    func sign(at t: Int, fast: Int, slow: Int) -> Int8
    /// The first bar in start..<end whose sign differs from `previous`, with that sign; `end` and
    /// `previous` when none does.
    func nextChange(from start: Int, to end: Int, previous: Int8, fast: Int, slow: Int) -> (bar: Int, sign: Int8)
}

extension CrossSignScan {
    /// `nextChange` one bar at a time: the whole scan for the 128-bit columns, the tail of the vector one.
    @inline(__always) func nextChangeBarByBar(from start: Int, to end: Int, previous: Int8, fast: Int, slow: Int)
        -> (bar: Int, sign: Int8)
    {
        var t = start
        while t < end {
            let current = sign(at: t, fast: fast, slow: slow)
            if current != previous { return (t, current) }
            t += 1
        }
        return (end, previous)
    }
}
