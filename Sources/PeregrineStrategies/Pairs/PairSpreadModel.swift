import PeregrineIndicators
import PeregrineModels

/// A pair's hedge ratio, spread and z-score bar by bar, from the current and earlier bars only.
///
/// - `static`: y = a + b·x by least squares over the first `formation` bars, then fixed.
/// - `rolling`: the same regression over the latest `formation` bars, refitted every bar.
/// - `kalman`: `KalmanHedgeRatio` (ratio and intercept as a random walk); the signal is the forecast
///   error y - (a + b·x) with the previous bar's state, the spread before the filter adapts to it.
///
/// For `static` and `rolling` the spread is sᵢ = yᵢ - a - b·xᵢ with the current fit; for `kalman` the
/// forecast errors. The z-score is (s - mean) / sd over the latest `window` of them, sd with n - 1,
/// which needs no noise variance in the units of the prices (the filter's own e/√Q does: with log
/// closes its default observation variance swamps the spread). Nothing is read before `formation`
/// bars (and `window` bars) have been seen.
struct PairSpreadModel {
    enum Method: String, CaseIterable {
        case staticFit = "static"
        case rolling
        case kalman
    }

    struct Reading: Equatable {
        var ratio: Double
        var intercept: Double
        /// y - intercept - ratio · x for the current bar.
        var spread: Double
        var zScore: Double
    }

    let method: Method
    let formation: Int
    let window: Int
    /// The latest (y, x), enough for the formation, the z-score window and the cointegration test.
    private(set) var ys: LagBuffer<Double>
    private(set) var xs: LagBuffer<Double>
    private var fixed: HedgeRatio?
    private var kalman: KalmanHedgeRatio
    /// The Kalman forecast errors, for their z-score.
    private var errors: LagBuffer<Double>
    /// Bars seen.
    private(set) var count = 0

    init(method: Method, formation: Int, window: Int, delta: Double = 1e-4, observationVariance: Double = 1e-3) {
        precondition(formation >= 3 && window >= 2, "formation needs 3 bars and the z-score window 2")
        self.method = method
        self.formation = formation
        self.window = window
        let capacity = max(formation, window)
        ys = LagBuffer(capacity: capacity, filler: 0)
        xs = LagBuffer(capacity: capacity, filler: 0)
        kalman = KalmanHedgeRatio(delta: delta, observationVariance: observationVariance)
        errors = LagBuffer(capacity: window, filler: 0)
    }

    /// Folds in one bar; nil while warming up or when the fit is degenerate (x constant, a flat spread).
    mutating func update(y: Double, x: Double) -> Reading? {
        count += 1
        ys.push(y)
        xs.push(x)
        switch method {
        case .kalman:
            let estimate = kalman.update(y: y, x: x)
            // The first errors only reflect the vague prior; the window starts after the warm-up.
            guard count > formation else { return nil }
            errors.push(estimate.forecastError)
            guard errors.isFull, let z = Self.zScore(of: errors, window: window) else { return nil }
            return Reading(ratio: estimate.ratio, intercept: estimate.intercept, spread: estimate.forecastError, zScore: z)
        case .staticFit:
            if fixed == nil, count == formation { fixed = Self.leastSquares(ys, xs, last: formation) }
            guard count >= formation, count >= window, let hedge = fixed else { return nil }
            return reading(hedge)
        case .rolling:
            guard count >= formation, count >= window, let hedge = Self.leastSquares(ys, xs, last: formation) else { return nil }
            return reading(hedge)
        }
    }

    /// The latest `last` values of y and x, oldest first (fewer when fewer were seen).
    func recent(_ last: Int) -> (y: [Double], x: [Double]) {
        let n = min(last, ys.count)
        return ((0..<n).reversed().map { ys[ago: $0] }, (0..<n).reversed().map { xs[ago: $0] })
    }

    private func reading(_ hedge: HedgeRatio) -> Reading? {
        var spreads = LagBuffer(capacity: window, filler: 0.0)
        for ago in (0..<window).reversed() { spreads.push(ys[ago: ago] - hedge.intercept - hedge.ratio * xs[ago: ago]) }
        guard let z = Self.zScore(of: spreads, window: window) else { return nil }
        return Reading(ratio: hedge.ratio, intercept: hedge.intercept, spread: spreads[ago: 0], zScore: z)
    }

    /// (latest - mean) / sample deviation of the latest `window` values; nil when they do not vary.
    static func zScore(of values: LagBuffer<Double>, window: Int) -> Double? {
        var sum = 0.0
        for ago in 0..<window { sum += values[ago: ago] }
        let mean = sum / Double(window)
        var squares = 0.0
        for ago in 0..<window { squares += (values[ago: ago] - mean) * (values[ago: ago] - mean) }
        let deviation = (squares / Double(window - 1)).squareRoot()
        let z = (values[ago: 0] - mean) / deviation
        return deviation > 0 && z.isFinite ? z : nil
    }

    /// y = a + b·x over the latest `last` values, in closed form; nil when x does not vary.
    static func leastSquares(_ ys: LagBuffer<Double>, _ xs: LagBuffer<Double>, last: Int) -> HedgeRatio? {
        var meanY = 0.0, meanX = 0.0
        for ago in 0..<last {
            meanY += ys[ago: ago]
            meanX += xs[ago: ago]
        }
        meanY /= Double(last)
        meanX /= Double(last)
        var covariance = 0.0, variance = 0.0
        for ago in 0..<last {
            let dx = xs[ago: ago] - meanX
            covariance += dx * (ys[ago: ago] - meanY)
            variance += dx * dx
        }
        guard variance > 0 else { return nil }
        let ratio = covariance / variance
        let hedge = HedgeRatio(intercept: meanY - ratio * meanX, ratio: ratio)
        return hedge.ratio.isFinite && hedge.intercept.isFinite ? hedge : nil
    }
}
