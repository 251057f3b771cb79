extension SIMD8 where Scalar == Double {
    /// The smallest lane, by halves. The standard library's `min()`, and `any(_:)` on a mask, are
    /// not inlined into the sweep's loops; these compile to a few vector instructions.
    @inline(__always) var smallestLane: Double {
        let four = lowHalf.replacing(with: highHalf, where: highHalf .< lowHalf)
        let two = four.lowHalf.replacing(with: four.highHalf, where: four.highHalf .< four.lowHalf)
        return Swift.min(two[0], two[1])
    }

    /// The largest lane, by halves.
    @inline(__always) var largestLane: Double {
        let four = lowHalf.replacing(with: highHalf, where: highHalf .> lowHalf)
        let two = four.lowHalf.replacing(with: four.highHalf, where: four.highHalf .> four.lowHalf)
        return Swift.max(two[0], two[1])
    }

    /// Bit i set when lane i is zero or below: where a scan stops, found without a branch per lane.
    @inline(__always) var lanesAtOrBelowZero: Int {
        let bits = SIMD8<Int64>(1, 2, 4, 8, 16, 32, 64, 128)
        let set = SIMD8<Int64>().replacing(with: bits, where: self .<= 0)
        let four = set.lowHalf &+ set.highHalf
        let two = four.lowHalf &+ four.highHalf
        return Int(two[0] &+ two[1])
    }
}
