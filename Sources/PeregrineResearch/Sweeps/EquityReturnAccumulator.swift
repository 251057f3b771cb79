import PeregrineModels

/// Running sums of one equity path's per-bar returns (for Sharpe and Sortino, and per block of bars for
/// the probability of overfitting) and its deepest
/// drawdown, fed only the bars where equity can move: a flat bar's return is exactly 0 and
/// changes no sum. Held stretches go eight bars at a time.
struct EquityReturnAccumulator {
    private(set) var equity: Double
    private var sum = 0.0
    private var squares = 0.0
    private var downside = 0.0
    private var sumLanes = SIMD8<Double>()
    private var squareLanes = SIMD8<Double>()
    private var downsideLanes = SIMD8<Double>()
    private var peak: Double
    /// The lowest value since the peak is the smaller of these two: held stretches keep a low per
    /// lane and fold them in only when a new peak needs the true low.
    private var lowSincePeak: Double
    private var lowLanes = SIMD8<Double>(repeating: .infinity)
    private var worst = 0.0

    init(start: Double) {
        equity = start
        peak = start
        lowSincePeak = start
    }

    /// The sum of returns, of their squares, and of the squares of the negative ones.
    var sums: (returns: Double, squares: Double, downside: Double) {
        (sum + sumLanes.sum(), squares + squareLanes.sum(), downside + downsideLanes.sum())
    }

    /// The sums so far as the moments of `periods` returns (flat periods add nothing but count). The
    /// sums of cubes and fourth powers are not kept (NaN): every path would pay for them on every held
    /// bar, and only the chosen combination's skewness and kurtosis are wanted.
    func moments(periods: Int) -> ReturnMoments {
        ReturnMoments(count: periods, sum: sum + sumLanes.sum(), sumOfSquares: squares + squareLanes.sum(), sumOfCubes: .nan,
                      sumOfFourthPowers: .nan)
    }

    /// The deepest fall from a peak so far, as a fraction (0 or negative).
    var maxDrawdown: Double { min(worst, min(lowSincePeak, lowLanes.smallestLane) / peak - 1) }

    /// One new equity value; its return is against the previous one.
    @inline(__always) mutating func add(_ next: Double) {
        let r = next / equity - 1
        sum += r
        squares += r * r
        let loss = min(r, 0)
        downside += loss * loss
        equity = next
        track(next)
    }

    /// The equity of a position held over bars `start..<end`: cash + quantity × close, eight bars
    /// at a time. The first bar's return is against the current equity, every later one against the
    /// bar before; a last, partial block has its lanes past `end` masked out rather than a scalar
    /// tail. `closes` must be readable up to index end + 6 (the sweep pads it) and start ≥ 1.
    @inline(__always) mutating func addHolding(cash: Double, quantity: Double, closes: UnsafePointer<Double>,
                                               from start: Int, to end: Int) {
        guard start < end else { return }
        let raw = UnsafeRawPointer(closes)
        let stride = MemoryLayout<Double>.stride
        let laneNumbers = SIMD8<Double>(0, 1, 2, 3, 4, 5, 6, 7)
        var u = start
        while u < end {
            var current = cash + quantity * raw.loadUnaligned(fromByteOffset: u * stride, as: SIMD8<Double>.self)
            var before = cash + quantity * raw.loadUnaligned(fromByteOffset: (u - 1) * stride, as: SIMD8<Double>.self)
            if u == start { before[0] = equity }
            var r = current / before - 1
            let lanes = end - u
            if lanes < 8 {
                let outside = laneNumbers .>= Double(lanes)
                r.replace(with: 0, where: outside)
                current.replace(with: -.infinity, where: outside)
            }
            sumLanes += r
            squareLanes += r * r
            let loss = r.replacing(with: 0, where: r .> 0)
            downsideLanes += loss * loss
            if current.largestLane >= peak {
                for lane in 0..<min(lanes, 8) { track(current[lane]) }
            } else {
                lowLanes = lowLanes.replacing(with: current, where: current .< lowLanes .& current .> -.infinity)
            }
            u += 8
        }
        equity = cash + quantity * closes[end - 1]
    }

    /// A new peak closes the drawdown since the last one; a lower low deepens it.
    @inline(__always) private mutating func track(_ value: Double) {
        if value >= peak {
            lowSincePeak = min(lowSincePeak, lowLanes.smallestLane)
            lowLanes = SIMD8(repeating: .infinity)
            worst = min(worst, lowSincePeak / peak - 1)
            peak = value
            lowSincePeak = value
        } else if value < lowSincePeak {
            lowSincePeak = value
        }
    }
}
