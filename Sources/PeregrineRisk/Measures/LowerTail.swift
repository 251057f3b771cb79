/// The lower tail of a series without reordering it: the k-th and (k+1)-th smallest values, exactly,
/// and the sum of the k + 1 smallest, added in the series' order. A radix selection on the values'
/// ordered bit patterns (a histogram pass, then passes over the few candidates left) replaces a
/// quickselect whose data-dependent swaps over a million returns cost a tenth of a backtest, and the
/// sum no longer depends on how a selection happened to arrange the values.
public struct LowerTail: Sendable, Equatable {
    /// The k-th smallest value (0-based).
    public var kth: Double
    /// The (k+1)-th smallest value (`kth` when there is none).
    public var next: Double
    /// Sum of every value below `kth`, in the series' order, then `kth` once for each of the k + 1
    /// smallest that equal it.
    public var sum: Double

    /// Nil for an empty series, `k` outside it, or a NaN in it (which has no place in an order).
    public init?(_ values: UnsafeBufferPointer<Double>, k: Int) {
        let n = values.count
        guard n > 0, k >= 0, k < n else { return nil }
        // Level one: a histogram of the top 16 bits of every key.
        var counts = [Int32](repeating: 0, count: 1 << 16)
        var nans = 0
        counts.withUnsafeMutableBufferPointer { counts in
            for x in values {
                nans &+= x.isNaN ? 1 : 0
                counts[Int(truncatingIfNeeded: Self.key(x) >> 48)] &+= 1
            }
        }
        guard nans == 0 else { return nil }
        var (bucket, rank) = Self.bucket(holding: k, in: counts)
        var prefix = UInt64(bucket) << 48
        var candidates: [UInt64] = []
        candidates.reserveCapacity(Int(counts[bucket]))
        for x in values {
            let key = Self.key(x)
            if key >> 48 == UInt64(bucket) { candidates.append(key) }
        }
        // Further levels over the candidates only, 16 bits at a time, until the key is whole.
        var shift: UInt64 = 48
        while shift > 0 && candidates.count > 1 {
            shift -= 16
            var level = [Int32](repeating: 0, count: 1 << 16)
            for key in candidates { level[Int((key >> shift) & 0xFFFF)] &+= 1 }
            (bucket, rank) = Self.bucket(holding: rank, in: level)
            prefix |= UInt64(bucket) << shift
            candidates.removeAll { ($0 >> shift) & 0xFFFF != UInt64(bucket) }
        }
        let kthKey = candidates.count == 1 ? candidates[0] : prefix
        let kth = Self.value(kthKey)
        // One pass in the series' order: the sum below, how many tie, the least value above.
        var below = 0.0
        var countBelow = 0
        var countEqual = 0
        var nextKey = UInt64.max
        for x in values {
            let key = Self.key(x)
            if key < kthKey {  // a twentieth of the values: the branch is cheaper than a dependent add
                below += x
                countBelow += 1
            }
            countEqual &+= key == kthKey ? 1 : 0
            nextKey = key > kthKey && key < nextKey ? key : nextKey
        }
        var sum = below
        for _ in 0..<(k + 1 - countBelow) { sum += kth }
        self.kth = kth
        self.next = countBelow + countEqual > k + 1 ? kth : (nextKey == .max ? kth : Self.value(nextKey))
        self.sum = sum
    }

    /// A key whose unsigned order is the values' order, both zeros the key of +0 (adding +0 turns -0
    /// into +0); without branches, since signs and zeros come in no predictable order.
    @inline(__always) static func key(_ x: Double) -> UInt64 {
        let bits = (x + 0).bitPattern
        return bits ^ (UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | (1 << 63))
    }

    @inline(__always) static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    /// The bucket holding the value of rank `rank` and its rank within the bucket.
    private static func bucket(holding rank: Int, in counts: [Int32]) -> (Int, Int) {
        var seen = 0
        for (bucket, count) in counts.enumerated() where count > 0 {
            if rank < seen + Int(count) { return (bucket, rank - seen) }
            seen += Int(count)
        }
        return (counts.count - 1, 0)  // unreachable: rank < the total count
    }
}
