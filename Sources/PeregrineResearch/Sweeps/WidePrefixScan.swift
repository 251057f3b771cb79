/// The scan for prices a double cannot hold exactly (very long series of very high prices with
/// many decimals): 128-bit prefix sums and products, one bar at a time. Slower, never inexact.
struct WidePrefixScan: CrossSignScan, @unchecked Sendable {
    /// n + 1 entries: prefix[0] = 0, prefix[t + 1] = the sum of closes 0...t, in price units.
    let prefix: UnsafePointer<Int128>

    @inline(__always) func sign(at t: Int, fast f: Int, slow s: Int) -> Int8 {
        let now = prefix[t + 1]
        let lhs = Int128(s) * (now - prefix[t + 1 - f])
        let rhs = Int128(f) * (now - prefix[t + 1 - s])
        return lhs > rhs ? 1 : (lhs < rhs ? -1 : 0)
    }

    func nextChange(from start: Int, to end: Int, previous: Int8, fast f: Int, slow s: Int) -> (bar: Int, sign: Int8) {
        nextChangeBarByBar(from: start, to: end, previous: previous, fast: f, slow: s)
    }
}
