import Foundation
import PeregrineCore

/// Metropolis–Hastings over a box of numeric settings (signal thresholds, say), with a backtest
/// objective as the log-likelihood: the posterior is proportional to exp(objective / temperature)
/// under a uniform prior on the box. Instead of one best point (which a grid overfits), the chain's
/// samples say which values do well and how sharply: a narrow posterior is a setting that matters,
/// a flat one a setting the data cannot pin down.
///
/// Each chain starts at the box's centre (or `start`) and proposes a Gaussian step in every
/// coordinate (`step` times the width), reflected at the edges so the proposal stays symmetric
/// and the acceptance ratio is the posterior ratio alone. A proposal whose objective is not finite
/// is rejected. Chains run in parallel, each from its own seed, so the samples do not depend on
/// the number of cores; the Gelman–Rubin R-hat compares them.
public struct MetropolisTuner: Sendable {
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var range: ClosedRange<Double>

        public init(name: String, range: ClosedRange<Double>) {
            self.name = name
            self.range = range
        }
    }

    public struct Settings: Sendable {
        /// Kept samples per chain, after the burn-in.
        public var samples = 300
        public var burnIn = 100
        public var chains = 2
        /// Lower concentrates the posterior on the best values; objective differences of a few
        /// temperatures are decisive.
        public var temperature = 0.1
        /// Proposal standard deviation as a share of each parameter's width.
        public var step = 0.1
        public var seed: UInt64 = 0
        /// Where every chain starts (the box's centre by default).
        public var start: [Double]?

        public init() {}
    }

    /// One state of a chain: the values and their objective.
    public struct Sample: Sendable, Equatable {
        public var chain: Int
        public var iteration: Int
        public var values: [Double]
        public var objective: Double
        public var accepted: Bool
    }

    /// Posterior summary of one parameter over the kept samples of all chains.
    public struct Marginal: Sendable, Equatable {
        public var name: String
        public var mean: Double
        public var standardDeviation: Double
        public var p5: Double
        public var median: Double
        public var p95: Double
        /// Gelman–Rubin potential scale reduction (near 1 when the chains agree; nan with one chain).
        public var rHat: Double
    }

    public struct Result: Sendable {
        /// Every iteration of every chain, burn-in included (marked by `iteration < burnIn`).
        public var samples: [Sample]
        public var marginals: [Marginal]
        public var acceptanceRate: Double
        /// The best state any chain visited.
        public var best: Sample
        public var evaluations: Int
    }

    public let parameters: [Parameter]
    public let settings: Settings

    public init(parameters: [Parameter], settings: Settings = Settings()) {
        precondition(!parameters.isEmpty && parameters.allSatisfy { $0.range.lowerBound < $0.range.upperBound })
        precondition(settings.samples > 0 && settings.burnIn >= 0 && settings.chains > 0 && settings.temperature > 0 && settings.step > 0)
        self.parameters = parameters
        self.settings = settings
    }

    /// Runs the chains; `objective` is called once per iteration (and once per chain's start)
    /// from several threads at once.
    public func run(objective: @Sendable ([Double]) -> Double) -> Result {
        let chains = settings.chains
        var perChain = Array(repeating: [Sample](), count: chains)
        perChain.withUnsafeMutableBufferPointer { slots in
            let output = UnsafeMutableSendableBuffer(slots)
            DispatchQueue.concurrentPerform(iterations: chains) { chain in
                output.buffer[chain] = runChain(chain, objective: objective)
            }
        }
        let samples = perChain.flatMap { $0 }
        let kept = perChain.map { $0.filter { $0.iteration >= settings.burnIn } }
        let moves = samples.filter { $0.iteration > 0 }
        let accepted = moves.filter(\.accepted).count
        var best = samples[0]
        for sample in samples where sample.objective > best.objective { best = sample }
        let marginals = parameters.indices.map { k in
            Self.marginal(name: parameters[k].name, chains: kept.map { $0.map { $0.values[k] } })
        }
        return Result(samples: samples, marginals: marginals, acceptanceRate: moves.isEmpty ? 0 : Double(accepted) / Double(moves.count),
                      best: best, evaluations: samples.count)
    }

    private func runChain(_ chain: Int, objective: ([Double]) -> Double) -> [Sample] {
        var generator = SeededGenerator(seed: settings.seed &+ UInt64(chain) &* 0x9E37_79B9_7F4A_7C15)
        var current = settings.start ?? parameters.map { ($0.range.lowerBound + $0.range.upperBound) / 2 }
        var value = objective(current)
        var samples = [Sample(chain: chain, iteration: 0, values: current, objective: value, accepted: true)]
        samples.reserveCapacity(settings.burnIn + settings.samples)
        for iteration in 1..<(settings.burnIn + settings.samples) {
            let proposal = parameters.indices.map { k in
                Self.reflect(current[k] + generator.nextNormal() * settings.step * (parameters[k].range.upperBound - parameters[k].range.lowerBound),
                             into: parameters[k].range)
            }
            let proposed = objective(proposal)
            // Accept with probability min(1, exp((proposed - value) / T)); an unscored current state is always left.
            let accept = proposed.isFinite
                && (!value.isFinite || proposed >= value || generator.nextUniform() < Foundationless.exp((proposed - value) / settings.temperature))
            if accept {
                current = proposal
                value = proposed
            }
            samples.append(Sample(chain: chain, iteration: iteration, values: current, objective: value, accepted: accept))
        }
        return samples
    }

    /// Folds a value back into the range by mirroring at its edges (as often as needed).
    public static func reflect(_ x: Double, into range: ClosedRange<Double>) -> Double {
        let low = range.lowerBound, width = range.upperBound - range.lowerBound
        guard x.isFinite else { return low }
        var offset = (x - low).truncatingRemainder(dividingBy: 2 * width)
        if offset < 0 { offset += 2 * width }
        return low + (offset <= width ? offset : 2 * width - offset)
    }

    static func marginal(name: String, chains: [[Double]]) -> Marginal {
        let all = chains.flatMap { $0 }.sorted()
        let n = Double(all.count)
        let mean = all.reduce(0, +) / n
        let variance = all.count > 1 ? all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
        func quantile(_ q: Double) -> Double {
            let position = q * Double(all.count - 1)
            let lower = Int(position), upper = min(lower + 1, all.count - 1)
            return all[lower] + (all[upper] - all[lower]) * (position - Double(lower))
        }
        return Marginal(name: name, mean: mean, standardDeviation: variance.squareRoot(), p5: quantile(0.05), median: quantile(0.5),
                        p95: quantile(0.95), rHat: rHat(chains))
    }

    /// Gelman–Rubin R-hat of equal-length chains.
    static func rHat(_ chains: [[Double]]) -> Double {
        let m = Double(chains.count), n = Double(chains.first?.count ?? 0)
        guard chains.count > 1, n > 1 else { return .nan }
        let means = chains.map { $0.reduce(0, +) / n }
        let grand = means.reduce(0, +) / m
        let between = n / (m - 1) * means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) }
        let within = zip(chains, means).reduce(0.0) { total, pair in
            total + pair.0.reduce(0) { $0 + ($1 - pair.1) * ($1 - pair.1) } / (n - 1)
        } / m
        guard within > 0 else { return between > 0 ? .infinity : 1 }
        let pooled = (n - 1) / n * within + between / n
        return (pooled / within).squareRoot()
    }
}
