/// The fast scan: prefix sums in the closes' smallest common unit, held as doubles. When every
/// prefix and every product of a window length with a window sum stays below 2^53 (checked by
/// `fits`), each of them is an exact integer in a double, and the sign of a difference of two exact
/// doubles is exact, so the comparison is the kernel's to the last bit. Eight bars are checked at a
/// time; a block whose signs all equal the previous one is skipped without a branch per bar.
struct DoublePrefixScan: CrossSignScan, @unchecked Sendable {
    /// n + 1 entries: prefix[0] = 0, prefix[t + 1] = the sum of closes 0...t, in reduced units.
    let prefix: UnsafePointer<Double>

    /// The largest exact integer range of a double.
    static let exactLimit: Int128 = 1 << 53

    /// Whether prefix sums of `reducedCloses` and window products up to `largestWindow` are exact.
    static func fits(reducedCloses: [Int64], largestWindow: Int) -> Bool {
        var total: Int128 = 0
        var largest: Int128 = 0
        for close in reducedCloses {
            let magnitude = Int128(close.magnitude)
            total += magnitude
            largest = max(largest, magnitude)
        }
        let window = Int128(largestWindow)
        return total < exactLimit && window * window * largest < exactLimit
    }

    @inline(__always) func sign(at t: Int, fast f: Int, slow s: Int) -> Int8 {
        let now = prefix[t + 1]
        let y = Double(s) * (now - prefix[t + 1 - f]) - Double(f) * (now - prefix[t + 1 - s])
        return y > 0 ? 1 : (y < 0 ? -1 : 0)
    }

    @inline(__always) func nextChange(from start: Int, to end: Int, previous: Int8, fast f: Int, slow s: Int)
        -> (bar: Int, sign: Int8)
    {
        var t = start
        if previous != 0 {
            // y = (slow * fastSum - fast * slowSum) * previous: positive in every lane while the sign holds;
            // the first lane that is not tells the bar and its sign (negative: the other side; zero: a tie).
            let direction = Double(previous)
            let slowLength = Double(s) * direction
            let fastLength = Double(f) * direction
            let raw = UnsafeRawPointer(prefix)
            let stride = MemoryLayout<Double>.stride
            while t + 8 <= end {
                let now = raw.loadUnaligned(fromByteOffset: (t + 1) * stride, as: SIMD8<Double>.self)
                let fastStart = raw.loadUnaligned(fromByteOffset: (t + 1 - f) * stride, as: SIMD8<Double>.self)
                let slowStart = raw.loadUnaligned(fromByteOffset: (t + 1 - s) * stride, as: SIMD8<Double>.self)
                let y = slowLength * (now - fastStart) - fastLength * (now - slowStart)
                let changed = y.lanesAtOrBelowZero
                if changed != 0 {
                    let lane = changed.trailingZeroBitCount
                    return (t + lane, y[lane] < 0 ? -previous : 0)
                }
                t += 8
            }
        }
        return nextChangeBarByBar(from: t, to: end, previous: previous, fast: f, slow: s)
    }
}
