/// The lower tail of a series without reordering it: the k-th and (k+1)-th smallest values, exactly,
/// and the sum of the k + 1 smallest, added in the series' order. A radix selection on the values'
/// ordered bit patterns (a histogram pass, then passes over the few candidates left) replaces a
/// quickselect whose data-dependent swaps over a million returns cost a tenth of a backtest, and the
/// sum no longer depends on how a selection happened to arrange the values. `Selection` does the
/// same over a series read twice as it is produced.
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
        let selection = Selection(k: k)
        for x in values { selection.count(x) }
        guard selection.beginGathering() else { return nil }
        for x in values { selection.gather(x) }
        guard let found = selection.tail() else { return nil }
        self = found
    }

    /// From the candidates of the level-one `bucket` holding the k-th value at `rank`: the further
    /// levels over the candidates only, 16 bits at a time, then one pass over `series` (every value
    /// of the buckets up to `bucket`, in order) for the sum below, the ties and the least value above;
    /// `leastKeyAbove` is the least key of the buckets above.
    init(candidates: [UInt64], bucket: UInt64, rank: Int, k: Int, series: UnsafeBufferPointer<Double>, leastKeyAbove: UInt64) {
        var candidates = candidates
        var bucket = Int(bucket)
        var rank = rank
        var prefix = UInt64(bucket) << 48
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
        var below = 0.0
        var countBelow = 0
        var countEqual = 0
        var nextKey = leastKeyAbove
        for x in series {
            let key = Self.key(x)
            if key < kthKey {
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
    @inlinable @inline(__always) static func key(_ x: Double) -> UInt64 {
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
