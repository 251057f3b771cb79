extension LowerTail {
    /// `LowerTail` of a series read twice as it is produced, never held whole (the returns of an
    /// equity curve, worked out from the curve in each pass): every value goes to `count` in a
    /// first pass and again, in the same order, to `gather` in a second; `tail` then selects among
    /// the few gathered. The first pass is the histogram, the second keeps the values of the buckets
    /// up to the k-th's (a twentieth of them for a 5% tail) in the series' order, so the tail is
    /// summed exactly as `LowerTail` sums it.
    public final class Selection {
        public let k: Int
        /// Level one: how many values fall in each bucket of the top 16 key bits.
        @usableFromInline let counts: UnsafeMutablePointer<Int32>
        @usableFromInline @exclusivity(unchecked) var nans = 0
        @usableFromInline @exclusivity(unchecked) var counted = 0
        /// The level-one bucket of the k-th value, and its rank within it (set by `beginGathering`).
        @usableFromInline @exclusivity(unchecked) var bucket: UInt64 = .max
        @usableFromInline @exclusivity(unchecked) var rank = 0
        /// The values of buckets up to `bucket`, in the series' order.
        @usableFromInline @exclusivity(unchecked) var gathered: [Double] = []
        /// The least key above `bucket`: the (k+1)-th value when none in `bucket` is above the k-th.
        @usableFromInline @exclusivity(unchecked) var leastKeyAbove = UInt64.max

        /// `k` is the rank (0-based) of the value selected.
        public init(k: Int) {
            self.k = k
            counts = .allocate(capacity: 1 << 16)
            counts.initialize(repeating: 0, count: 1 << 16)
        }

        deinit { counts.deallocate() }

        /// First pass: one value.
        @inlinable @inline(__always) public func count(_ x: Double) {
            nans &+= x.isNaN ? 1 : 0
            counts[Int(truncatingIfNeeded: LowerTail.key(x) >> 48)] &+= 1
            counted &+= 1
        }

        /// First pass: `times` values equal to `x`, one after the other.
        public func count(_ x: Double, times: Int) {
            nans &+= x.isNaN ? times : 0
            counts[Int(truncatingIfNeeded: LowerTail.key(x) >> 48)] &+= Int32(truncatingIfNeeded: times)
            counted &+= times
        }

        /// Between the passes; false when there is nothing to select (no values, `k` outside them,
        /// or a NaN among them), and `gather` need not be called.
        public func beginGathering() -> Bool {
            guard counted > 0, k >= 0, k < counted, nans == 0 else { return false }
            var seen = 0
            var below = 0
            for b in 0..<(1 << 16) where counts[b] > 0 {
                if k < seen + Int(counts[b]) {
                    bucket = UInt64(b)
                    rank = k - seen
                    below = seen
                    break
                }
                seen += Int(counts[b])
            }
            gathered.reserveCapacity(below + Int(counts[Int(bucket)]))
            return true
        }

        /// Second pass: the same value as `count` had, in the same order.
        @inlinable @inline(__always) public func gather(_ x: Double) {
            let key = LowerTail.key(x)
            let top = key >> 48
            if top <= bucket {  // a twentieth of the values for a 5% tail
                gathered.append(x)
            } else {
                leastKeyAbove = key < leastKeyAbove ? key : leastKeyAbove
            }
        }

        /// Second pass: `times` values equal to `x`, one after the other.
        public func gather(_ x: Double, times: Int) {
            let key = LowerTail.key(x)
            if key >> 48 <= bucket {
                gathered.append(contentsOf: repeatElement(x, count: times))
            } else if times > 0 {
                leastKeyAbove = Swift.min(key, leastKeyAbove)
            }
        }

        /// The selection, from the gathered values; nil when `beginGathering` said there is none.
        public func tail() -> LowerTail? {
            guard bucket != .max else { return nil }
            return gathered.withUnsafeBufferPointer { values in
                var candidates: [UInt64] = []
                candidates.reserveCapacity(Int(counts[Int(bucket)]))
                for x in values {
                    let key = LowerTail.key(x)
                    if key >> 48 == bucket { candidates.append(key) }
                }
                return LowerTail(candidates: candidates, bucket: bucket, rank: rank, k: k, series: values,
                                 leastKeyAbove: leastKeyAbove)
            }
        }
    }
}
