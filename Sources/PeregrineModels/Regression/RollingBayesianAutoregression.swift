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
    public func forecast(horizon: Int) -> [(mean: Double, variance: Double)] {
        guard isReady else { return [] }
        let d = lags + 1
        var precision = prior.precision
        for i in 0..<d { for j in 0..<d { precision[i, j] += xtx[i * d + j] } }
        guard let factor = try? CholeskyFactorization(precision) else { return [] }
        let priorTerm = prior.precision.multiply(prior.mean)
        let mean = factor.solve(zip(priorTerm, xty).map { $0 + $1 })
        let shape = prior.shape + Double(window) / 2
        let scale = prior.scale + 0.5 * (yty + dot(prior.mean, priorTerm) - dot(mean, precision.multiply(mean)))
        let nu = 2 * shape
        var history = recent
        var variance = 0.0
        var result: [(Double, Double)] = []
        for _ in 0..<horizon {
            let x = [1] + history.suffix(lags).reversed()
            let v = factor.solveLower(x)
            let scaleSquared = scale / shape * (1 + dot(v, v))
            variance += nu > 2 ? scaleSquared * nu / (nu - 2) : .infinity
            let prediction = dot(x, mean)
            result.append((prediction, variance))
            history.append(prediction)
        }
        return result
    }
}
