import PeregrineCore

/// A hidden Markov model with one-dimensional Gaussian emissions, for market regimes.
/// `fit` runs Baum-Welch (scaled forward-backward, emissions normalized per step in log space so
/// nothing underflows) from several seeded starts and keeps the best likelihood; states come out
/// ordered by mean (for three states: bear, sideways, bull). `filter` is the forward pass alone,
/// P(state at t | observations up to t), so live use never looks ahead; `viterbi` decodes the
/// most likely path after the fact.
public struct GaussianHiddenMarkovModel: Sendable, Equatable {
    public var initial: [Double]
    /// transition[i][j] = P(next = j | now = i).
    public var transition: [[Double]]
    public var means: [Double]
    public var variances: [Double]

    /// Variance floor, as hmmlearn's `min_covar`, so a state cannot collapse onto one point.
    public static let minimumVariance = 1e-3

    public init(initial: [Double], transition: [[Double]], means: [Double], variances: [Double]) {
        precondition(initial.count == means.count && variances.count == means.count && transition.count == means.count)
        self.initial = initial
        self.transition = transition
        self.means = means
        self.variances = variances
    }

    public var stateCount: Int { means.count }

    /// Per-step emission likelihoods scaled by their largest value, and that log scale.
    private func emissions(_ x: Double) -> (values: [Double], logScale: Double) {
        let logs = (0..<stateCount).map { NormalDistribution.logDensity(x, mean: means[$0], variance: variances[$0]) }
        let top = logs.max()!
        return (logs.map { Foundationless.exp($0 - top) }, top)
    }

    /// Scaled forward pass over flat n×k storage (row t holds the k states): normalized α, the
    /// emission likelihoods scaled per step, the scaling constants, and log P(x₁..x_T).
    private func forward(_ observations: [Double])
        -> (alpha: [Double], emission: [Double], scales: [Double], logLikelihood: Double)
    {
        let k = stateCount
        let n = observations.count
        var alpha = [Double](repeating: 0, count: n * k)
        var emission = [Double](repeating: 0, count: n * k)
        var scales = [Double](repeating: 0, count: n)
        var logLikelihood = 0.0
        let logNorm = (0..<k).map { -0.5 * Foundationless.log(2 * Double.pi * variances[$0]) }
        let inverse = (0..<k).map { -0.5 / variances[$0] }
        var logs = [Double](repeating: 0, count: k)
        let transition = transition.flatMap { $0 }
        // Unchecked buffers: this loop is most of a Baum-Welch iteration, run at every regime refit.
        alpha.withUnsafeMutableBufferPointer { alpha in
            emission.withUnsafeMutableBufferPointer { emission in
                scales.withUnsafeMutableBufferPointer { scales in
                    logs.withUnsafeMutableBufferPointer { logs in
                        transition.withUnsafeBufferPointer { transition in
                            for (t, x) in observations.enumerated() {
                                var top = -Double.infinity
                                for j in 0..<k {
                                    let d = x - means[j]
                                    logs[j] = logNorm[j] + inverse[j] * d * d
                                    top = max(top, logs[j])
                                }
                                var c = 0.0
                                for j in 0..<k {
                                    let b = Foundationless.exp(logs[j] - top)
                                    emission[t * k + j] = b
                                    var prior = 0.0
                                    if t == 0 {
                                        prior = initial[j]
                                    } else {
                                        for i in 0..<k { prior += alpha[(t - 1) * k + i] * transition[i * k + j] }
                                    }
                                    alpha[t * k + j] = prior * b
                                    c += alpha[t * k + j]
                                }
                                c = max(c, Double.leastNonzeroMagnitude)
                                for j in 0..<k { alpha[t * k + j] /= c }
                                scales[t] = c
                                logLikelihood += Foundationless.log(c) + top
                            }
                        }
                    }
                }
            }
        }
        return (alpha, emission, scales, logLikelihood)
    }

    /// log P(observations | model).
    public func logLikelihood(_ observations: [Double]) -> Double { forward(observations).logLikelihood }

    /// P(state at t | observations up to t) for every t: usable bar by bar, no look-ahead.
    public func filter(_ observations: [Double]) -> [[Double]] {
        let alpha = forward(observations).alpha
        let k = stateCount
        return (0..<observations.count).map { Array(alpha[($0 * k)..<($0 * k + k)]) }
    }

    /// P(state at the last t | all observations): the filter's final row.
    public func filteredLast(_ observations: [Double]) -> [Double]? {
        guard !observations.isEmpty else { return nil }
        let alpha = forward(observations).alpha
        return Array(alpha.suffix(stateCount))
    }

    /// One forward-filtering step: P(state now | all observations so far) from the previous
    /// filtered probabilities (nil at the start) and the new observation. Works in the result's own
    /// storage (it runs every bar).
    public func filterStep(previous: [Double]?, observation: Double) -> [Double] {
        let k = stateCount
        var next = [Double](repeating: 0, count: k)
        var top = -Double.infinity
        for j in 0..<k {
            next[j] = NormalDistribution.logDensity(observation, mean: means[j], variance: variances[j])
            if j == 0 || top < next[j] { top = next[j] }
        }
        var total = 0.0
        for j in 0..<k {
            let b = Foundationless.exp(next[j] - top)
            var prior = initial[j]
            if let previous {
                prior = 0
                for i in 0..<k { prior += previous[i] * transition[i][j] }
            }
            next[j] = prior * b
            total += next[j]
        }
        if total > 0 {
            for j in 0..<k { next[j] /= total }
        } else {
            for j in 0..<k { next[j] = 1 / Double(k) }
        }
        return next
    }

    /// The most likely state path (Viterbi, in log space).
    public func viterbi(_ observations: [Double]) -> [Int] {
        guard !observations.isEmpty else { return [] }
        let k = stateCount
        let logA = transition.map { $0.map { Foundationless.log(max($0, 1e-300)) } }
        var score = (0..<k).map { Foundationless.log(max(initial[$0], 1e-300))
            + NormalDistribution.logDensity(observations[0], mean: means[$0], variance: variances[$0]) }
        var back: [[Int]] = []
        for x in observations.dropFirst() {
            var next = Array(repeating: -Double.infinity, count: k)
            var pointers = Array(repeating: 0, count: k)
            for j in 0..<k {
                for i in 0..<k where score[i] + logA[i][j] > next[j] {
                    next[j] = score[i] + logA[i][j]
                    pointers[j] = i
                }
                next[j] += NormalDistribution.logDensity(x, mean: means[j], variance: variances[j])
            }
            back.append(pointers)
            score = next
        }
        var state = score.indices.max { score[$0] < score[$1] }!
        var path = [state]
        for pointers in back.reversed() {
            state = pointers[state]
            path.append(state)
        }
        return path.reversed()
    }

    /// One Baum-Welch step: returns the re-estimated model, and the likelihood and the filter's last
    /// row of the current one. Works on flat n×k buffers so an iteration allocates a handful of
    /// arrays, not one per observation.
    func reestimated(_ observations: [Double])
        -> (model: GaussianHiddenMarkovModel, logLikelihood: Double, lastFiltered: [Double])
    {
        let k = stateCount
        let n = observations.count
        let (alpha, emission, scales, logLikelihood) = forward(observations)
        var beta = [Double](repeating: 1, count: n * k)
        var transitionCounts = [Double](repeating: 0, count: k * k)
        var weight = [Double](repeating: 0, count: k)
        var weightedSum = [Double](repeating: 0, count: k)
        var weightedSquares = [Double](repeating: 0, count: k)
        var first = [Double](repeating: 0, count: k)
        let transition = transition.flatMap { $0 }
        // Unchecked buffers, as in `forward`.
        alpha.withUnsafeBufferPointer { alpha in
            emission.withUnsafeBufferPointer { emission in
                scales.withUnsafeBufferPointer { scales in
                    beta.withUnsafeMutableBufferPointer { beta in
                        transition.withUnsafeBufferPointer { transition in
                            transitionCounts.withUnsafeMutableBufferPointer { transitionCounts in
                                observations.withUnsafeBufferPointer { observations in
                                    for t in stride(from: n - 1, through: 0, by: -1) {
                                        if t < n - 1 {
                                            for i in 0..<k {
                                                var total = 0.0
                                                for j in 0..<k {
                                                    let term = transition[i * k + j] * emission[(t + 1) * k + j] * beta[(t + 1) * k + j]
                                                        / scales[t + 1]
                                                    total += term
                                                    transitionCounts[i * k + j] += alpha[t * k + i] * term
                                                }
                                                beta[t * k + i] = total
                                            }
                                        }
                                        var norm = 0.0
                                        for i in 0..<k { norm += alpha[t * k + i] * beta[t * k + i] }
                                        norm = max(norm, Double.leastNonzeroMagnitude)
                                        let x = observations[t]
                                        for i in 0..<k {
                                            let gamma = alpha[t * k + i] * beta[t * k + i] / norm
                                            weight[i] += gamma
                                            weightedSum[i] += gamma * x
                                            weightedSquares[i] += gamma * x * x
                                            if t == 0 { first[i] = gamma }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var model = self
        for i in 0..<k where weight[i] > 0 {
            let mean = weightedSum[i] / weight[i]
            model.means[i] = mean
            model.variances[i] = max(weightedSquares[i] / weight[i] - mean * mean, Self.minimumVariance)
            let rowTotal = (0..<k).reduce(0.0) { $0 + transitionCounts[i * k + $1] }
            if rowTotal > 0 { model.transition[i] = (0..<k).map { transitionCounts[i * k + $0] / rowTotal } }
        }
        model.initial = first
        return (model, logLikelihood, Array(alpha.suffix(k)))
    }

    /// Continues Baum-Welch from this model (a warm start, for rolling refits on a shifted window).
    public func refined(_ observations: [Double], maxIterations: Int = 10, tolerance: Double = 1e-6) -> Fit {
        var model = self
        var previous = -Double.infinity
        var iterations = 0
        // The forward pass of `model` as it stands, when the last step computed it.
        var pass: (logLikelihood: Double, lastFiltered: [Double])?
        while iterations < maxIterations {
            iterations += 1
            let (next, likelihood, lastFiltered) = model.reestimated(observations)
            if likelihood - previous < tolerance * max(1, abs(likelihood)) && iterations > 1 {
                pass = (likelihood, lastFiltered)
                break
            }
            previous = likelihood
            model = next
        }
        let order = model.meanOrder()
        let ordered = model.reordered(order)
        // Already in mean order, the ordered model is the same numbers, so is its forward pass.
        if let pass, order == Array(0..<stateCount) {
            return Fit(model: ordered, logLikelihood: pass.logLikelihood, iterations: iterations, bestStart: 0,
                       filtered: pass.lastFiltered)
        }
        let forward = ordered.forward(observations)
        return Fit(model: ordered, logLikelihood: forward.logLikelihood, iterations: iterations, bestStart: 0,
                   filtered: Array(forward.alpha.suffix(stateCount)))
    }

    /// The same model with states relabeled in increasing order of mean.
    public func orderedByMean() -> GaussianHiddenMarkovModel { reordered(meanOrder()) }

    /// State indices in increasing order of mean.
    private func meanOrder() -> [Int] { means.indices.sorted { means[$0] < means[$1] } }

    private func reordered(_ order: [Int]) -> GaussianHiddenMarkovModel {
        GaussianHiddenMarkovModel(
            initial: order.map { initial[$0] },
            transition: order.map { i in order.map { transition[i][$0] } },
            means: order.map { means[$0] }, variances: order.map { variances[$0] })
    }

    public struct Fit: Sendable {
        public var model: GaussianHiddenMarkovModel
        public var logLikelihood: Double
        public var iterations: Int
        /// Which start (0 = quantile start, then seeded random starts) gave the best fit.
        public var bestStart: Int
        /// P(state at the last observation | all of them) under `model`: the filter's final row
        /// (`filteredLast`), from the same forward pass as the likelihood where it could be.
        public var filtered: [Double]
    }

    /// Fits `states` states by Baum-Welch from `restarts` starts: the first puts means at data
    /// quantiles, the others at seeded random data points with seeded random transition rows.
    public static func fit(_ observations: [Double], states: Int, seed: UInt64 = 0, restarts: Int = 5,
                           maxIterations: Int = 500, tolerance: Double = 1e-8) -> Fit {
        precondition(states >= 1 && observations.count > states, "need more observations than states")
        var rng = SeededGenerator(seed: seed)
        let sorted = observations.sorted()
        let mean = observations.reduce(0, +) / Double(observations.count)
        let variance = max(observations.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(observations.count),
                           minimumVariance)
        var best: Fit?
        for start in 0..<max(1, restarts) {
            var means: [Double]
            var transition: [[Double]]
            if start == 0 {
                means = (0..<states).map { sorted[min(sorted.count - 1, Int((Double($0) + 0.5) / Double(states) * Double(sorted.count)))] }
                transition = (0..<states).map { i in
                    (0..<states).map { j in states == 1 ? 1 : (i == j ? 0.9 : 0.1 / Double(states - 1)) }
                }
            } else {
                means = (0..<states).map { _ in observations[Int(rng.next() % UInt64(observations.count))] }.sorted()
                transition = (0..<states).map { i in
                    let row = (0..<states).map { j in rng.nextUniform() + (i == j ? Double(states) : 0) }
                    let total = row.reduce(0, +)
                    return row.map { $0 / total }
                }
            }
            var model = GaussianHiddenMarkovModel(
                initial: Array(repeating: 1 / Double(states), count: states), transition: transition, means: means,
                variances: Array(repeating: variance, count: states))
            var previous = -Double.infinity
            var iterations = 0
            var current = model.logLikelihood(observations)
            while iterations < maxIterations {
                iterations += 1
                let (next, likelihood, _) = model.reestimated(observations)
                current = likelihood
                if likelihood - previous < tolerance * max(1, abs(likelihood)) && iterations > 1 { break }
                previous = likelihood
                model = next
            }
            let forward = model.forward(observations)
            current = forward.logLikelihood
            if best == nil || current > best!.logLikelihood {
                let order = model.meanOrder()
                let ordered = model.reordered(order)
                // Already in mean order, the ordered model's filter is this pass's.
                let filtered = order == Array(0..<states) ? Array(forward.alpha.suffix(states)) : ordered.filteredLast(observations) ?? []
                best = Fit(model: ordered, logLikelihood: current, iterations: iterations, bestStart: start, filtered: filtered)
            }
        }
        return best!
    }
}
