import PeregrineCore

/// `BayesianAutoregression` over a sliding window, updated in O(d²) a bar: the sufficient
/// statistics XᵀX, Xᵀy and yᵀy of the last `window` rows are kept by adding the newest row and
/// subtracting the one that leaves, and the conjugate posterior is re-solved from them (a d×d
/// Cholesky, d = lags + 1). Same posterior as refitting the window from scratch.
public struct RollingBayesianAutoregression: Sendable {
    public let lags: Int
    public let window: Int
    public let prior: BayesianLinearRegression.Prior
    private var rows: [[Double]] = []
    private var targets: [Double] = []
    private var head = 0
    private var xtx: [Double]
    private var xty: [Double]
    private var yty = 0.0
    private var recent: [Double] = []

    public init(lags: Int = 1, window: Int = 60, prior: BayesianLinearRegression.Prior? = nil) {
        precondition(lags >= 1 && window > lags + 1)
        self.lags = lags
        self.window = window
        self.prior = prior ?? .weak(dimension: lags + 1)
        xtx = Array(repeating: 0, count: (lags + 1) * (lags + 1))
        xty = Array(repeating: 0, count: lags + 1)
    }

    public var isReady: Bool { rows.count == window }

    /// Adds a return (and drops the oldest row once the window is full).
    public mutating func update(_ value: Double) {
        defer {
            recent.append(value)
            if recent.count > lags { recent.removeFirst() }
        }
        guard recent.count == lags else { return }
        let row = [1] + recent.reversed()
        accumulate(row, value, sign: 1)
        if rows.count < window {
            rows.append(row)
            targets.append(value)
        } else {
            accumulate(rows[head], targets[head], sign: -1)
            rows[head] = row
            targets[head] = value
            head = (head + 1) % window
        }
    }

    private mutating func accumulate(_ row: [Double], _ y: Double, sign: Double) {
        let d = lags + 1
        for i in 0..<d {
            xty[i] += sign * row[i] * y
            for j in 0..<d { xtx[i * d + j] += sign * row[i] * row[j] }
        }
        yty += sign * y * y
    }

    /// Predictive mean and cumulative variance for each of the next `horizon` steps (the same
    /// plug-in rule as `BayesianAutoregression.forecast`); empty until the window is full.
    /// Works on flat d×d buffers with an inline Cholesky: it runs every bar.
    public func forecast(horizon: Int) -> [(mean: Double, variance: Double)] {
        guard isReady else { return [] }
        let d = lags + 1
        // Posterior precision Λ = Λ₀ + XᵀX and right-hand side Λ₀μ₀ + Xᵀy.
        var lower = [Double](repeating: 0, count: d * d)
        var rhs = [Double](repeating: 0, count: d)
        var priorTerm = [Double](repeating: 0, count: d)
        for i in 0..<d {
            for j in 0..<d {
                lower[i * d + j] = prior.precision[i, j] + xtx[i * d + j]
                priorTerm[i] += prior.precision[i, j] * prior.mean[j]
            }
        }
        for i in 0..<d { rhs[i] = priorTerm[i] + xty[i] }
        let precision = lower
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
        func solveLower(_ b: inout [Double]) {
            for i in 0..<d {
                for k in 0..<i { b[i] -= lower[i * d + k] * b[k] }
                b[i] /= lower[i * d + i]
            }
        }
        var mean = rhs
        solveLower(&mean)
        for i in stride(from: d - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(i + 1, d) { mean[i] -= lower[k * d + i] * mean[k] }
            mean[i] /= lower[i * d + i]
        }
        var quadratic = 0.0
        for i in 0..<d { for j in 0..<d { quadratic += mean[i] * precision[i * d + j] * mean[j] } }
        let shape = prior.shape + Double(window) / 2
        let scale = prior.scale + 0.5 * (yty + dot(prior.mean, priorTerm) - quadratic)
        let nu = 2 * shape
        var history = recent
        var variance = 0.0
        var result: [(Double, Double)] = []
        result.reserveCapacity(horizon)
        var x = [Double](repeating: 1, count: d)
        var v = x
        for _ in 0..<horizon {
            for lag in 1...lags { x[lag] = history[history.count - lag] }
            v = x
            solveLower(&v)
            let scaleSquared = scale / shape * (1 + dot(v, v))
            variance += nu > 2 ? scaleSquared * nu / (nu - 2) : .infinity
            let prediction = dot(x, mean)
            result.append((prediction, variance))
            history.append(prediction)
        }
        return result
    }
}
