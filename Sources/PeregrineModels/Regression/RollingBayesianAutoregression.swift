import PeregrineCore

/// `BayesianAutoregression` over a sliding window, updated in O(d²) a bar: the sufficient
/// statistics XᵀX, Xᵀy and yᵀy of the last `window` rows are kept by adding the newest row and
/// subtracting the one that leaves, and the conjugate posterior is re-solved from them (a d×d
/// Cholesky, d = lags + 1). Same posterior as refitting the window from scratch.
public struct RollingBayesianAutoregression: Sendable {
    public let lags: Int
    public let window: Int
    public let prior: BayesianLinearRegression.Prior
    /// The window's design rows (1, r[t-1], ..., r[t-lags]), `lags + 1` values each, flat; a ring
    /// starting at row `head` once full.
    private var rows: [Double] = []
    private var targets: [Double] = []
    private var head = 0
    private var xtx: [Double]
    private var xty: [Double]
    private var yty = 0.0
    /// The last `lags` values, newest last.
    private var recent: [Double] = []
    /// The row being added, kept so an update allocates nothing.
    private var incoming: [Double]
    /// Λ₀μ₀ and μ₀ᵀΛ₀μ₀: the prior's part of the posterior, the same every bar.
    private let priorTerm: [Double]
    private let priorQuadratic: Double

    public init(lags: Int = 1, window: Int = 60, prior: BayesianLinearRegression.Prior? = nil) {
        precondition(lags >= 1 && window > lags + 1)
        self.lags = lags
        self.window = window
        let prior = prior ?? .weak(dimension: lags + 1)
        self.prior = prior
        let d = lags + 1
        xtx = Array(repeating: 0, count: d * d)
        xty = Array(repeating: 0, count: d)
        incoming = Array(repeating: 1, count: d)
        var term = [Double](repeating: 0, count: d)
        for i in 0..<d { for j in 0..<d { term[i] += prior.precision[i, j] * prior.mean[j] } }
        priorTerm = term
        priorQuadratic = dot(prior.mean, term)
        rows.reserveCapacity(window * d)
        targets.reserveCapacity(window)
        recent.reserveCapacity(lags + 1)
    }

    public var isReady: Bool { targets.count == window }

    /// Adds a return (and drops the oldest row once the window is full).
    public mutating func update(_ value: Double) {
        defer {
            recent.append(value)
            if recent.count > lags { recent.removeFirst() }
        }
        guard recent.count == lags else { return }
        let d = lags + 1
        for lag in 1...lags { incoming[lag] = recent[lags - lag] }
        let row = incoming
        accumulate(row, at: 0, value, sign: 1)
        if targets.count < window {
            rows.append(contentsOf: row)
            targets.append(value)
        } else {
            accumulate(rows, at: head * d, targets[head], sign: -1)
            for k in 0..<d { rows[head * d + k] = row[k] }
            targets[head] = value
            head = (head + 1) % window
        }
    }

    private mutating func accumulate(_ storage: [Double], at base: Int, _ y: Double, sign: Double) {
        let d = lags + 1
        for i in 0..<d {
            xty[i] += sign * storage[base + i] * y
            for j in 0..<d { xtx[i * d + j] += sign * storage[base + i] * storage[base + j] }
        }
        yty += sign * y * y
    }

    /// Predictive mean and cumulative variance for each of the next `horizon` steps (the same
    /// plug-in rule as `BayesianAutoregression.forecast`); empty until the window is full.
    /// Works in one stack scratch buffer with an inline Cholesky: it runs every bar.
    public func forecast(horizon: Int) -> [(mean: Double, variance: Double)] {
        guard isReady, horizon > 0 else { return [] }
        let d = lags + 1
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * d * d + 3 * d + lags + horizon) { scratch in
            scratch.initialize(repeating: 0)
            let lower = UnsafeMutableBufferPointer(rebasing: scratch[0..<(d * d)])
            let precision = UnsafeMutableBufferPointer(rebasing: scratch[(d * d)..<(2 * d * d)])
            let mean = UnsafeMutableBufferPointer(rebasing: scratch[(2 * d * d)..<(2 * d * d + d)])
            let x = UnsafeMutableBufferPointer(rebasing: scratch[(2 * d * d + d)..<(2 * d * d + 2 * d)])
            let v = UnsafeMutableBufferPointer(rebasing: scratch[(2 * d * d + 2 * d)..<(2 * d * d + 3 * d)])
            let history = UnsafeMutableBufferPointer(rebasing: scratch[(2 * d * d + 3 * d)...])
            // Posterior precision Λ = Λ₀ + XᵀX and right-hand side Λ₀μ₀ + Xᵀy.
            for i in 0..<d {
                for j in 0..<d { lower[i * d + j] = prior.precision[i, j] + xtx[i * d + j] }
            }
            for i in 0..<d { mean[i] = priorTerm[i] + xty[i] }
            for k in 0..<(d * d) { precision[k] = lower[k] }
            // In-place Cholesky (lower triangle).
            for j in 0..<d {
                var diagonal = lower[j * d + j]
                for k in 0..<j { diagonal -= lower[j * d + k] * lower[j * d + k] }
                guard diagonal > 0 else { return [] }
                let pivot = diagonal.squareRoot()
                lower[j * d + j] = pivot
                for i in (j + 1)..<max(j + 1, d) {
                    var value = lower[i * d + j]
                    for k in 0..<j { value -= lower[i * d + k] * lower[j * d + k] }
                    lower[i * d + j] = value / pivot
                }
            }
            func solveLower(_ b: UnsafeMutableBufferPointer<Double>) {
                for i in 0..<d {
                    for k in 0..<i { b[i] -= lower[i * d + k] * b[k] }
                    b[i] /= lower[i * d + i]
                }
            }
            solveLower(mean)
            for i in stride(from: d - 1, through: 0, by: -1) {
                for k in (i + 1)..<max(i + 1, d) { mean[i] -= lower[k * d + i] * mean[k] }
                mean[i] /= lower[i * d + i]
            }
            var quadratic = 0.0
            for i in 0..<d { for j in 0..<d { quadratic += mean[i] * precision[i * d + j] * mean[j] } }
            let shape = prior.shape + Double(window) / 2
            let scale = prior.scale + 0.5 * (yty + priorQuadratic - quadratic)
            let nu = 2 * shape
            for k in 0..<lags { history[k] = recent[k] }
            var variance = 0.0
            var result: [(mean: Double, variance: Double)] = []
            result.reserveCapacity(horizon)
            x[0] = 1
            for step in 0..<horizon {
                let count = lags + step
                for lag in 1...lags { x[lag] = history[count - lag] }
                for k in 0..<d { v[k] = x[k] }
                solveLower(v)
                var norm = 0.0
                for k in 0..<d { norm += v[k] * v[k] }
                let scaleSquared = scale / shape * (1 + norm)
                variance += nu > 2 ? scaleSquared * nu / (nu - 2) : .infinity
                var prediction = 0.0
                for k in 0..<d { prediction += x[k] * mean[k] }
                result.append((prediction, variance))
                history[count] = prediction
            }
            return result
        }
    }
}
